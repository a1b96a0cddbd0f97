import test from 'ava';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Metadata, credentials } from '@grpc/grpc-js';
import { normalizeDescription, nn, MemoryRecorder, type NetworkDescription, type SpikeMatrix, type TraceMatrix } from '../index.ts';
import { runNodes } from '../coordinator/runNodes.ts';
import { NodeError } from '../coordinator/nodeError.ts';
import { startNode as startNodeInProcess } from '../worker/grpcNode.ts';
import { runThreads } from '../coordinator/runThreads.ts';
import { runLocal } from '../src/run/runLocal.ts';
import { PROTOCOL_VERSION, WorkerNodeClient, type NodeMessage } from '../src/exchange/grpcContract.ts';
import { NodeRun } from '../worker/nodeRun.ts';
import { planPartitions } from '../coordinator/planPartitions.ts';
import brunel from '../examples/brunel.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'spikegrid.mjs');
const token = 'test-cluster-token';
const tokenFile = join(mkdtempSync(join(tmpdir(), 'spikegrid-grpc-')), 'token');
writeFileSync(tokenFile, `${token}\n`);

interface Node {
  address: string;
  process: ChildProcess;
  log: string[];
}

/** Starts `spikegrid worker` as its own process on a free loopback port; `node` options go to Node. */
function startNode(extra: string[] = [], node: string[] = []): Promise<Node> {
  const child = spawn(process.execPath, [...node, bin, 'worker', '--listen', '127.0.0.1:0', '--token-file', tokenFile, ...(extra.includes('--threads') ? extra : ['--threads', '1', ...extra])]);
  const log: string[] = [];
  child.stderr!.on('data', (d) => log.push(String(d)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      const match = /listening on (\S+)/.exec(String(d));
      if (match) resolve({ address: match[1], process: child, log });
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${log.join('')}`)));
  });
}

function stop(nodes: Node[]) {
  for (const node of nodes) node.process.kill('SIGKILL');
}

function description(): NetworkDescription {
  return normalizeDescription({
    ...nn.describeNetwork(new (brunel({ scale: 0.1 }))()),
    seed: 9,
    monitors: [{ target: 'E', attr: 'spike' }, { target: 'I', attr: 'v', slice: [0, 5] }],
  });
}

test('two and three nodes in separate processes give the spikes, traces and sha of threads and of one process', async (t) => {
  const nodes = await Promise.all([0, 1, 2].map(() => startNode()));
  try {
    const d = description();
    const steps = 1500;
    const local = new MemoryRecorder();
    const reference = runLocal(d, { steps, recorders: [local] });
    const threads = await runThreads(d, { steps, workers: 2 });
    t.is(threads.spikes_sha256, reference.spikes_sha256);
    for (const count of [2, 3]) {
      const recorder = new MemoryRecorder();
      const run = await runNodes(d, { steps, nodes: nodes.slice(0, count).map((n) => n.address), token, recorders: [recorder] });
      t.is(run.spikes_sha256, reference.spikes_sha256, `${count} nodes`);
      t.is(run.synapses, reference.synapses);
      t.is(run.workers, count);
      t.true(run.bytes_per_chunk > 0);
      t.deepEqual((recorder.data['E.spike'] as SpikeMatrix).steps, (local.data['E.spike'] as SpikeMatrix).steps);
      t.deepEqual((recorder.data['I.v'] as TraceMatrix).data, (local.data['I.v'] as TraceMatrix).data);
    }
  } finally {
    stop(nodes);
  }
});

test('nodes host several partitions on threads and give the same spikes, traces and sha', async (t) => {
  const nodes = await Promise.all([startNode(['--threads', '2']), startNode(['--threads', '1'])]);
  try {
    const d = description();
    const steps = 1500;
    const local = new MemoryRecorder();
    const reference = runLocal(d, { steps, recorders: [local] });
    for (const [label, addresses, partitions] of [['2 + 1 threads', nodes, 3], ['2 threads', [nodes[0]], 2]] as const) {
      const recorder = new MemoryRecorder();
      const run = await runNodes(d, { steps, nodes: addresses.map((n) => n.address), token, recorders: [recorder], batchSteps: 37 });
      t.is(run.spikes_sha256, reference.spikes_sha256, label);
      t.is(run.workers, partitions, label);
      t.deepEqual(run.per_worker.map((w) => w.worker), Array.from({ length: partitions }, (_, i) => i), label);
      // Where each partition's time went survives the trip from the nodes.
      for (const w of run.per_worker) t.true(w.advance_s > 0 && w.deliver_s > 0 && w.advance_s + w.deliver_s + w.draw_ahead_s <= w.compute_s + 1e-9, `${label}: ${JSON.stringify(w)}`);
      t.is(run.synapses, reference.synapses, label);
      t.deepEqual((recorder.data['E.spike'] as SpikeMatrix).steps, (local.data['E.spike'] as SpikeMatrix).steps, label);
      t.deepEqual((recorder.data['E.spike'] as SpikeMatrix).neurons, (local.data['E.spike'] as SpikeMatrix).neurons, label);
      t.deepEqual((recorder.data['I.v'] as TraceMatrix).data, (local.data['I.v'] as TraceMatrix).data, label);
    }
    t.regex(nodes[0].log.join(''), /partitions 0, 1 of 3/);
  } finally {
    stop(nodes);
  }
});

for (const [where, partition] of [['on a thread of its own', 1], ["on the node's main thread", 0]] as const) {
  test(`a partition that fails ${where} ends the run with an error naming the node, partition and step; the node serves the next run`, async (t) => {
    const node = await startNodeInProcess({ listen: '127.0.0.1:0', token, threads: 2, log: () => {}, injectFailure: { partition, step: 450, kind: 'throw' } });
    const healthy = await startNodeInProcess({ listen: '127.0.0.1:0', token, threads: 1, log: () => {} });
    try {
      const d = description();
      const error = await t.throwsAsync(runNodes(d, { steps: 1500, nodes: [node.address, healthy.address], token }), { instanceOf: NodeError });
      t.is(error?.message, `node ${node.address} ended the run at chunk 30: worker ${partition} failed at step 450: injected failure at step 450 (INTERNAL)`);
      // The failure is injected only at step 450: a shorter run goes through on the same node.
      const next = await runNodes(d, { steps: 300, nodes: [node.address, healthy.address], token });
      t.is(next.spikes_sha256, runLocal(d, { steps: 300 }).spikes_sha256);
    } finally {
      await Promise.all([node.close(), healthy.close()]);
    }
  });
}

test('a node refuses a caller without the token, logs it, and keeps serving others', async (t) => {
  const [node] = await Promise.all([startNode()]);
  try {
    const d = description();
    const error = await t.throwsAsync(runNodes(d, { steps: 100, nodes: [node.address], token: 'wrong' }), { instanceOf: NodeError });
    t.is(error?.message, `node ${node.address} refused the run: missing or wrong cluster token (UNAUTHENTICATED)`);
    const run = await runNodes(d, { steps: 100, nodes: [node.address], token });
    t.is(run.steps, 100);
    t.regex(node.log.join(''), /refused 127\.0\.0\.1:\d+: missing or wrong token/);
  } finally {
    stop([node]);
  }
});

/** Opens a raw stream to a node, sends `start` (or `message`) and returns the details of the error it ends with. */
function refusal(address: string, start: Record<string, unknown>, message?: Record<string, unknown>): Promise<string> {
  const client = new WorkerNodeClient(address, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  const call = (client as unknown as { Run(m: Metadata): import('@grpc/grpc-js').ClientDuplexStream<unknown, unknown> }).Run(metadata);
  return new Promise<string>((resolve) => {
    call.on('error', (e: { details: string }) => {
      client.close();
      resolve(e.details);
    });
    call.on('data', () => {});
    call.write(message ?? { start: { partitions: 1, hosted: [0], plans_json: '[]', steps: 1, chunks_per_batch: 1, ...start } });
  });
}

test('a coordinator of another protocol version, or a bad description, is refused with a clear message', async (t) => {
  const [node] = await Promise.all([startNode()]);
  try {
    t.is(await refusal(node.address, { protocol: 999, description_json: '{}' }),
      'protocol version 999 from the coordinator, this node speaks 2; use the same spikegrid version on both');
    t.is(await refusal(node.address, {}, { hello: { protocol: 1 } }),
      'protocol version 1 from the coordinator, this node speaks 2; use the same spikegrid version on both');
    t.is(await refusal(node.address, { protocol: 2, description_json: '{"populations":[{"name":"a","model":"LIF","size":-1}]}' }),
      'LIF "a": size must be a whole number ≥ 1, got -1');
    t.regex(await refusal(node.address, { protocol: 2, description_json: '{not json' }), /JSON/);
    const valid = JSON.stringify(description());
    const plan = (index: number) => ({ index, slices: description().populations.map((p) => ({ start: 0, stop: p.size })) });
    t.is(await refusal(node.address, { protocol: 2, description_json: valid, partitions: 2, hosted: [0, 1], plans_json: JSON.stringify([plan(0), plan(1)]) }),
      'Start.plans_json: asks this node to host 2 partitions; it hosts at most 1 (--threads)');
    t.is(await refusal(node.address, { protocol: 2, description_json: valid, plans_json: JSON.stringify([{ index: 0, slices: [{ start: 0, stop: 1e9 }, { start: 0, stop: 1 }] }]) }),
      'Start.plans_json: plan 0 slices population E (size 1000) as {"start":0,"stop":1000000000}');
  } finally {
    stop([node]);
  }
});

/** Calls `act` once the run has passed `steps` steps, and remembers when. */
function afterSteps(steps: number, act: () => void) {
  let at = Infinity;
  return {
    onProgress: (done: number) => {
      if (done < steps || at < Infinity) return;
      at = performance.now();
      act();
    },
    time: () => at,
  };
}

test('a node killed mid-run ends the run within seconds with an error naming it, and the survivor takes the next run', async (t) => {
  const nodes = await Promise.all([startNode(), startNode()]);
  try {
    const d = description();
    const killAt = afterSteps(3000, () => nodes[1].process.kill('SIGKILL'));
    const error = await t.throwsAsync(runNodes(d, { steps: 2_000_000, nodes: nodes.map((n) => n.address), token, deadlineMs: 5000, onProgress: killAt.onProgress }), { instanceOf: NodeError });
    t.true(performance.now() - killAt.time() < 15000, 'bounded');
    t.is(error?.node, nodes[1].address);
    t.regex(error!.message, new RegExp(`^node ${nodes[1].address} ended the run at chunk \\d+`));
    t.true(error!.chunk > 0);
    const next = await runNodes(d, { steps: 300, nodes: [nodes[0].address], token });
    t.is(next.steps, 300);
  } finally {
    stop(nodes);
  }
});

test('a node sent SIGTERM mid-run finishes the run, every spike delivered, then exits', async (t) => {
  const node = await startNode();
  const exited = new Promise<number | null>((resolve) => node.process.on('exit', resolve));
  const d = description();
  const steps = 20_000;
  const reference = runLocal(d, { steps });
  const termAt = afterSteps(3000, () => node.process.kill('SIGTERM'));
  try {
    const run = await runNodes(d, { steps, nodes: [node.address], token, onProgress: termAt.onProgress });
    t.true(termAt.time() < Infinity, 'the signal came during the run');
    t.is(run.spikes_sha256, reference.spikes_sha256);
    t.is(await exited, 0);
    t.regex(node.log.join(''), /SIGTERM: stopping once the run in progress, if any, ends; SIGTERM again stops at once/);
  } finally {
    stop([node]);
  }
});

test('a node sent SIGTERM twice mid-run stops at once, and the run ends with an error naming it', async (t) => {
  const node = await startNode();
  const exited = new Promise<number | null>((resolve) => node.process.on('exit', resolve));
  const termAt = afterSteps(3000, () => {
    node.process.kill('SIGTERM');
    setTimeout(() => node.process.kill('SIGTERM'), 200);
  });
  try {
    const error = await t.throwsAsync(runNodes(description(), { steps: 2_000_000, nodes: [node.address], token, deadlineMs: 5000, onProgress: termAt.onProgress }), { instanceOf: NodeError });
    t.is(error?.node, node.address);
    t.is(await exited, 128 + 15);
    t.true(termAt.time() < Infinity, 'the signals came during the run');
  } finally {
    stop([node]);
  }
});

test('a node says it is building as soon as it takes a run, before its threads have started, so the silence deadline covers no start-up', async (t) => {
  const d = description();
  const sent: NodeMessage[] = [];
  // Threads that never come: all the node can have said is what it says on taking the run.
  let refuseThreads: (error: Error) => void = () => {};
  const threads = new Promise<never>((_, reject) => (refuseThreads = reject));
  const run = new NodeRun(
    { protocol: PROTOCOL_VERSION, description_json: JSON.stringify(d), partitions: 1, hosted: [0], plans_json: JSON.stringify(planPartitions(d, 1)), steps: 10, chunks_per_batch: 1 },
    { threads: 1 },
    { send: (message) => sent.push(message), done: () => t.fail('a run without threads cannot end well'), fail: () => {} },
    threads,
  );
  t.is(sent.length, 1);
  t.like(sent[0], { kind: 'building', building: { fraction: 0 } });
  const stopped = run.stop();
  refuseThreads(new Error('no threads in this test'));
  await stopped;
});

test('a node that stops answering ends the run after the deadline with an error naming it', async (t) => {
  const nodes = await Promise.all([startNode(), startNode()]);
  try {
    const d = description();
    const stopAt = afterSteps(3000, () => nodes[0].process.kill('SIGSTOP'));
    // A deadline long enough that a node starting on a machine busy with other tests is not taken
    // for one that stopped answering (2 s was not, once in a few dozen runs of the whole suite).
    const error = await t.throwsAsync(runNodes(d, { steps: 2_000_000, nodes: nodes.map((n) => n.address), token, deadlineMs: 5000, onProgress: stopAt.onProgress }), { instanceOf: NodeError });
    t.true(performance.now() - stopAt.time() < 20000);
    t.is(error?.node, nodes[0].address);
    t.regex(error!.message, new RegExp(`^node ${nodes[0].address} sent nothing for 5 s at chunk \\d+`));
  } finally {
    stop(nodes);
  }
});

test('with certificates the streams use TLS, and a plain-text coordinator is turned away', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-tls-'));
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const node = await startNode(['--tls-cert', cert, '--tls-key', key]);
  try {
    const d = description();
    const reference = runLocal(d, { steps: 300 });
    const run = await runNodes(d, { steps: 300, nodes: [node.address], token, tlsCa: readFileSync(cert) });
    t.is(run.spikes_sha256, reference.spikes_sha256);
    await t.throwsAsync(runNodes(d, { steps: 300, nodes: [node.address], token, deadlineMs: 3000 }), { instanceOf: NodeError });
  } finally {
    stop([node]);
  }
});

test('a node serves one run at a time and turns a second coordinator away while busy', async (t) => {
  const node = await startNode();
  try {
    const d = description();
    const long = runNodes(d, { steps: 20000, nodes: [node.address], token });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const error = await t.throwsAsync(runNodes(d, { steps: 100, nodes: [node.address], token }), { instanceOf: NodeError });
    t.is(error?.message, `node ${node.address} refused the run: this node is busy with another run (UNAVAILABLE)`);
    t.is((await long).steps, 20000);
    t.is((await runNodes(d, { steps: 100, nodes: [node.address], token })).steps, 100, 'free again');
  } finally {
    stop([node]);
  }
});

test('a second node on an address in use fails with a message that names the address, exit code 2', async (t) => {
  const node = await startNode();
  try {
    const second = spawnSync(process.execPath, [bin, 'worker', '--listen', node.address, '--threads', '1', '--token-file', tokenFile], { encoding: 'utf8', timeout: 60_000 });
    t.is(second.status, 2, second.stderr);
    t.regex(second.stderr, new RegExp(`spikegrid worker: cannot listen on ${node.address.replace(/\./g, '\\.')}: .*EADDRINUSE`));
  } finally {
    stop([node]);
  }
});

test('a node where nothing listens is reported as not reached, with the command that would start it', async (t) => {
  // A port that was free a moment ago.
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
  const error = await t.throwsAsync(runNodes(description(), { steps: 100, nodes: [address], token, deadlineMs: 10000 }), { instanceOf: NodeError });
  t.regex(error!.message, new RegExp(`^node ${address} could not be reached: No connection established.*ECONNREFUSED.*; is \`spikegrid worker --listen ${address}\` running there\\?$`));
});

test('a node whose memory cannot hold its share of the synapses refuses the run and says how much it needs', async (t) => {
  // The node runs as in a batch job limited to 384 KiB; the network needs ≈ 0.5 MiB, its thread ≈ 11 MiB.
  const limit = join(mkdtempSync(join(tmpdir(), 'spikegrid-limit-')), 'limit.mjs');
  writeFileSync(limit, 'process.constrainedMemory = () => 384 * 2 ** 10;\n');
  const node = await startNode([], ['--import', pathToFileURL(limit).href]);
  try {
    const error = await t.throwsAsync(runNodes(description(), { steps: 100, nodes: [node.address], token }), { instanceOf: NodeError });
    t.regex(error!.message, new RegExp(`^node ${node.address} refused the run: the network needs ≈ \\d+(\\.\\d)? MiB on this machine \\(1 worker, ≈ \\d+ synapses and \\d+ neurons each\\), more than the 0\\.3 MiB it can give it \\(90 % of 0\\.4 MiB\\)`));
  } finally {
    stop([node]);
  }
});
