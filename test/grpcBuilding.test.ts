import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeDescription, nn } from '../index.ts';
import { runNodes } from '../coordinator/runNodes.ts';
import brunel from '../examples/brunel.ts';

// In a file of its own: the coordinator's event loop must not be held up by other tests, or its
// silence deadline would fire for reasons of its own.
test('a node that takes longer to build than the deadline keeps the run alive by saying it is building, and how far it has got', async (t) => {
  const token = 'building-token';
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'spikegrid-building-')), 'token');
  writeFileSync(tokenFile, token);
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'spikegrid.mjs'), 'worker', '--listen', '127.0.0.1:0', '--threads', '1', '--token-file', tokenFile]);
  try {
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        const match = /listening on (\S+)/.exec(String(d));
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
    // A deadline well above the node's interval (1 s), so that a node held up by other tests' load
    // for a moment still makes it; a network that takes longer than that to build.
    const deadlineMs = 2500;
    const d = normalizeDescription({ ...nn.describeNetwork(new (brunel({ scale: 4 }))()), seed: 9, monitors: [] });
    const built: number[] = [];
    const run = await runNodes(d, { steps: 15, nodes: [address], token, deadlineMs, onBuildProgress: (fraction) => built.push(fraction) });
    t.true(run.build_s > deadlineMs / 1000, `build took ${run.build_s} s`);
    t.is(run.steps, 15);
    // What the node said while building carried how far it had got; the coordinator adds 1 at Ready.
    t.true(built.some((fraction) => fraction > 0 && fraction < 1), `reports: ${built.join(', ')}`);
    t.deepEqual(built, [...built].sort((a, b) => a - b));
    t.is(built.at(-1), 1);
  } finally {
    child.kill('SIGKILL');
  }
});
