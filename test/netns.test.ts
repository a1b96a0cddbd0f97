import test from 'ava';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeDescription, nn } from '../index.ts';
import { runNodes } from '../coordinator/runNodes.ts';
import { runLocal } from '../src/run/runLocal.ts';
import brunel from '../examples/brunel.ts';

// Two test hosts of our own: network namespaces joined to this one by veth pairs, each with its own
// address. Needs root and iproute2 (.ci/run installs it where missing).
const hosts = [1, 2].map((i) => ({ namespace: `sg-test-${process.pid}-${i}`, hostSide: `sgh${process.pid % 10000}${i}`, nodeSide: `sgn${process.pid % 10000}${i}`, subnet: `10.213.${i}` }));
const bin = join(import.meta.dirname, '..', 'bin', 'spikegrid.mjs');

function ip(...args: string[]) {
  execFileSync('ip', args, { stdio: 'pipe' });
}

function createHosts() {
  for (const h of hosts) {
    ip('netns', 'add', h.namespace);
    ip('link', 'add', h.hostSide, 'type', 'veth', 'peer', 'name', h.nodeSide);
    ip('link', 'set', h.nodeSide, 'netns', h.namespace);
    ip('addr', 'add', `${h.subnet}.1/24`, 'dev', h.hostSide);
    ip('link', 'set', h.hostSide, 'up');
    ip('netns', 'exec', h.namespace, 'ip', 'addr', 'add', `${h.subnet}.2/24`, 'dev', h.nodeSide);
    ip('netns', 'exec', h.namespace, 'ip', 'link', 'set', h.nodeSide, 'up');
    ip('netns', 'exec', h.namespace, 'ip', 'link', 'set', 'lo', 'up');
  }
}

function removeHosts() {
  for (const h of hosts) {
    try {
      ip('link', 'del', h.hostSide);
    } catch { /* already gone with its namespace */ }
    try {
      ip('netns', 'del', h.namespace);
    } catch { /* not created */ }
  }
}

test('nodes in separate network namespaces, on their own addresses, run the network as one process does', async (t) => {
  const token = 'netns-token';
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'spikegrid-netns-')), 'token');
  writeFileSync(tokenFile, token);
  const children: ChildProcess[] = [];
  createHosts();
  try {
    const addresses = await Promise.all(hosts.map((h) => new Promise<string>((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', h.namespace, process.execPath, bin, 'worker', '--listen', `${h.subnet}.2:7070`, '--threads', '1', '--token-file', tokenFile]);
      children.push(child);
      child.stdout!.on('data', (d) => {
        const match = /listening on (\S+)/.exec(String(d));
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`node in ${h.namespace} exited with ${code}`)));
    })));
    t.deepEqual(addresses, ['10.213.1.2:7070', '10.213.2.2:7070']);
    const description = normalizeDescription({ ...nn.describeNetwork(new (brunel({ scale: 0.1 }))()), seed: 4 });
    const reference = runLocal(description, { steps: 1000 });
    const run = await runNodes(description, { steps: 1000, nodes: addresses, token });
    t.is(run.spikes_sha256, reference.spikes_sha256);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    removeHosts();
  }
});
