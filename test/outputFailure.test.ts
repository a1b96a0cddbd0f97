/**
 * When the run's output cannot be written (a full disk, a file size limit): a recorder that throws
 * ends the run with its error, whichever runner drives it (no hang, no worker blamed, the workers
 * free for the next run); the command says which file and exits with code 4; and what was written
 * before stays readable.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatchStreamWriter, tableFromIPC } from 'apache-arrow';
import { normalizeDescription, nn, ArrowRecorder, MemoryRecorder, type NetworkDescription } from '../index.ts';
import { OutputError } from '../src/errors.ts';
import { streamToFile } from '../src/monitor/arrowFiles.ts';
import { runNodes } from '../coordinator/runNodes.ts';
import { runThreads } from '../coordinator/runThreads.ts';
import { startNode } from '../worker/grpcNode.ts';
import type { ChunkRecord } from '../src/monitor/chunkRecord.ts';
import type { Recorder } from '../src/monitor/recorder.ts';
import { runLocal } from '../src/run/runLocal.ts';
import brunel from '../examples/brunel.ts';

const bin = join(import.meta.dirname, '..', 'bin', 'spikegrid.mjs');
const examples = join(import.meta.dirname, '..', 'examples');
const temp = () => mkdtempSync(join(tmpdir(), 'spikegrid-output-'));

/** Records two chunks, then fails as a full disk would. */
class FailingRecorder implements Recorder {
  readonly error = new Error('no space left on device');
  chunks = 0;
  begin(): void {}
  record(_chunk: ChunkRecord): void {
    if (++this.chunks === 3) throw this.error;
  }
  finish(): void {
    throw new Error('finish must not be called after a failure');
  }
}

const description: NetworkDescription = normalizeDescription({
  ...nn.describeNetwork(new (brunel({ scale: 0.1 }))()),
  monitors: [{ target: 'E', attr: 'spike' }],
});
// Hours of work: a run that went on after its recorder failed would never let its test end.
const steps = 20_000_000;

test('a recorder that fails ends a run in this process with its error', (t) => {
  const recorder = new FailingRecorder();
  t.is(t.throws(() => runLocal(description, { steps, recorders: [recorder] })), recorder.error);
  t.is(recorder.chunks, 3);
});

test('a recorder that fails ends a run on worker threads with its error, and blames no worker', async (t) => {
  const recorder = new FailingRecorder();
  t.is(await t.throwsAsync(runThreads(description, { steps, workers: 2, recorders: [recorder], batchSteps: 100 })), recorder.error);
  t.is(recorder.chunks, 3);
  // Other runs go on as before.
  const next = await runThreads(description, { steps: 300, workers: 2, recorders: [new MemoryRecorder()] });
  t.is(next.spikes_sha256, runLocal(description, { steps: 300 }).spikes_sha256);
});

test('a recorder that fails ends a run over gRPC worker nodes with its error, and the nodes serve the next run', async (t) => {
  const token = 'recording-failure-token';
  const nodes = await Promise.all([1, 1].map((threads) => startNode({ listen: '127.0.0.1:0', token, threads, log: () => {} })));
  try {
    const recorder = new FailingRecorder();
    const addresses = nodes.map((n) => n.address);
    t.is(await t.throwsAsync(runNodes(description, { steps, nodes: addresses, token, recorders: [recorder], batchSteps: 100 })), recorder.error);
    t.is(recorder.chunks, 3);
    const next = await runNodes(description, { steps: 300, nodes: addresses, token });
    t.is(next.spikes_sha256, runLocal(description, { steps: 300 }).spikes_sha256);
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
});

test('a run whose spikes file cannot grow (a full disk, a file size limit) stops with exit code 4 and keeps the batches it wrote, the run\'s first spikes', (t) => {
  const [full, cut] = [temp(), temp()];
  const args = ['run', join(examples, 'brunel.ts'), '--t', '2000', '--set', 'scale=0.2', '--workers', '2', '--no-progress'];
  t.is(spawnSync(process.execPath, [bin, ...args, '--out', full]).status, 0);
  // 4 MB per file: room for two batches of 65536 spikes (24 bytes each), not for the run's 8 MB.
  const limited = spawnSync('bash', ['-c', 'ulimit -f 4000 && exec "$@"', 'bash', process.execPath, bin, ...args, '--out', cut], { encoding: 'utf8', timeout: 60_000 });
  t.is(limited.status, 4, limited.stderr);
  const stream = join(cut, 'spikes.arrows');
  t.is(limited.stderr, `spikegrid: cannot write ${stream}: EFBIG: file too large, write; the batches written before it are kept in ${stream}\n`);
  t.false(existsSync(join(cut, 'run.json')));
  const query = (dir: string, sql: string) => spawnSync(process.execPath, [bin, 'sql', dir, sql], { encoding: 'utf8' }).stdout.trim().split('\n')[2].trim().split(/\s+/);
  const [kept] = query(cut, 'SELECT count(*) FROM spikes');
  t.is(Number(kept), 2 * 65536);
  // The kept spikes are the complete run's first spikes, in its order.
  const fingerprint = (n: string) => `SELECT count(*), sum(step), sum(neuron), sum(step * neuron) FROM (SELECT * FROM spikes ORDER BY step, population, neuron LIMIT ${n})`;
  t.deepEqual(query(cut, fingerprint(kept)), query(full, fingerprint(kept)));
});

test('when the stream cannot be rewritten as a file at the end, the stream stays whole and the partial copy goes', (t) => {
  const dir = temp();
  runLocal(description, { steps: 2000, recorders: [new ArrowRecorder(dir)] });
  const table = tableFromIPC(readFileSync(join(dir, 'spikes.arrow')));
  t.true(table.numRows > 1000, `${table.numRows} spikes`);
  const out = temp();
  const stream = join(out, 'spikes.arrows');
  const bytes = RecordBatchStreamWriter.writeAll(table).toUint8Array(true);
  writeFileSync(stream, bytes);
  // The copy lands on a device that is always full.
  symlinkSync('/dev/full', join(out, 'spikes.arrow.partial'));
  const error = t.throws(() => streamToFile(stream, join(out, 'spikes.arrow'), table.schema), { instanceOf: OutputError });
  t.is(error.message, `cannot write ${join(out, 'spikes.arrow.partial')}: ENOSPC: no space left on device, write; every batch of the run is in ${stream}`);
  t.deepEqual(readdirSync(out), ['spikes.arrows']);
  t.true(readFileSync(stream).equals(bytes));
});
