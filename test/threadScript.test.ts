import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { threadOptions, threadScript } from '../worker/threadScript.ts';

/** What piscina calls on a thread. */
const TASKS = ['buildTables', 'default', 'runNodePartition', 'warm'];

test('worker threads load one bundled JavaScript file, without a TypeScript loader', async (t) => {
  const { filename, execArgv } = await threadScript();
  t.true(filename.endsWith('.mjs') && !filename.endsWith('threadEntry.mjs'), `threads load ${filename}`);
  t.true(existsSync(fileURLToPath(filename)));
  t.true(process.execArgv.some((a) => a.includes('tsx')), 'the tests run under node --import=tsx');
  t.true(execArgv !== undefined && !execArgv.some((a) => a.includes('tsx')), `thread options ${execArgv?.join(' ')}`);
  // A bare thread (no loader at all) can load it and finds the tasks piscina calls.
  t.deepEqual(await tasksOf(filename), TASKS);
});

test('the fallback entry, which compiles the sources under tsx, offers the same tasks', async (t) => {
  t.deepEqual(await tasksOf(new URL('../worker/threadEntry.mjs', import.meta.url).href), TASKS);
});

/** The names a thread script exports, as a fresh thread with no loader of its own sees them. */
function tasksOf(script: string): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const worker = new Worker(`import(${JSON.stringify(script)}).then((m) => require('node:worker_threads').parentPort.postMessage(Object.keys(m).sort()))`, { eval: true, execArgv: [] });
    worker.once('message', (keys: string[]) => void worker.terminate().then(() => resolve(keys)));
    worker.once('error', reject);
  });
}

test('threads drop a tsx loader only when it is all the parent was given, and inherit anything else', (t) => {
  t.deepEqual(threadOptions(['--import=tsx']), []);
  t.deepEqual(threadOptions(['--import', 'tsx']), []);
  t.deepEqual(threadOptions(['--loader=tsx/esm']), []);
  t.is(threadOptions([]), undefined);
  t.is(threadOptions(['--import=tsx', '--max-old-space-size=4096']), undefined);
  t.is(threadOptions(['--enable-source-maps']), undefined);
  t.deepEqual(threadOptions(['--import=tsx', '--enable-source-maps']), ['--enable-source-maps']);
});

test('a run on threads works under Node options that threads may only inherit (--max-old-space-size)', (t) => {
  const out = execFileSync(process.execPath, ['--max-old-space-size=2048', fileURLToPath(new URL('../bin/spikegrid.mjs', import.meta.url)),
    'run', fileURLToPath(new URL('../examples/brunel.ts', import.meta.url)), '--t', '20', '--set', 'scale=0.05', '--workers', '2', '--no-record'], { encoding: 'utf8' });
  t.regex(out, /on 2 workers/);
});

/** What `threadScript()` gives in a fresh process whose temporary directory is `tmp`. */
function scriptIn(tmp: string): string {
  const code = `import { threadScript } from ${JSON.stringify(new URL('../worker/threadScript.ts', import.meta.url).href)}; console.log((await threadScript()).filename);`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' }).trim();
}

test('a bundle directory others can write is not used, and a planted file is replaced by the real bundle', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'spikegrid-tmp-'));
  const dir = join(tmp, `spikegrid-threads-${process.getuid!()}`);
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  t.true(scriptIn(tmp).endsWith('worker/threadEntry.mjs'), 'falls back to the tsx entry');

  chmodSync(dir, 0o700);
  const bundle = fileURLToPath(scriptIn(tmp));
  const real = readFileSync(bundle);
  writeFileSync(bundle, 'export default () => "planted";');
  t.is(fileURLToPath(scriptIn(tmp)), bundle);
  t.true(readFileSync(bundle).equals(real), 'the planted file was rewritten with the bundle');
});
