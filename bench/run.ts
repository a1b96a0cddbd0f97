/**
 * The benchmark table: each network runs in its own process through the CLI, without recording,
 * `--repeat` times; the table shows medians. Timings live here, never in tests.
 *
 *   npm run bench                      CUBA and Brunel (scale 1), 1 s each, on 1 and 2 workers, 3 repeats;
 *                                      Brunel again recording every spike (Brunel+rec)
 *   npm run bench -- --repeat 5 --only brunel --workers 1,2
 *   npm run bench -- --only pd14 --pd14-scale 0.25   PD14 in double and in single precision (PD14/single)
 *   npm run bench -- --only brunel/grpc           Brunel over gRPC on loopback: 2 worker processes of
 *                                                1 thread each, and 1 worker process with 2 threads
 *
 * Brunel also runs as two independent one-worker processes at once, each repeat: what the machine
 * gives two busy threads, and so the most two workers can gain, on the day of the bench. And each
 * repeat measures how evenly the machine runs two busy threads (`processorPace.ts`).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barrierWaitShare } from '../src/cli/runManifest.ts';
import { processorPace, type ProcessorPace } from './processorPace.ts';

interface Case {
  name: string;
  model: string;
  set: string[];
  /** Record every spike to Arrow files (the others run with --no-record). */
  record?: boolean;
  /** Run over this many `spikegrid worker` processes on loopback (gRPC) instead of threads. */
  nodes?: number;
  /** Partition threads per node (`spikegrid worker --threads`); default 1. */
  threadsPerNode?: number;
  /** Also run two one-worker processes at once, and measure the processors' pace, to see what the machine gives two threads. */
  pairOfOne?: boolean;
  /** More options of `spikegrid run`. */
  flags?: string[];
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};

const cases: Case[] = [
  { name: 'CUBA', model: 'examples/cuba.ts', set: ['n=4000'] },
  { name: 'Brunel', model: 'examples/brunel.ts', set: ['scale=1'], pairOfOne: true },
  { name: 'Brunel+rec', model: 'examples/brunel.ts', set: ['scale=1'], record: true },
  { name: 'Brunel/gRPC', model: 'examples/brunel.ts', set: ['scale=1'], nodes: 2 },
  { name: 'Brunel/gRPC-1x2', model: 'examples/brunel.ts', set: ['scale=1'], nodes: 1, threadsPerNode: 2 },
  { name: 'PD14', model: 'examples/pd14.ts', set: [`scale=${option('--pd14-scale', '0.1')}`] },
  { name: 'PD14/single', model: 'examples/pd14.ts', set: [`scale=${option('--pd14-scale', '0.1')}`], flags: ['--precision', 'single'] },
];

const repeat = Number(option('--repeat', '3'));
const only = option('--only', '');
const tMs = Number(option('--t', '1000'));
const workerCounts = option('--workers', '1,2').split(',').map(Number);
const root = join(import.meta.dirname, '..');

/** Whether the runs ran the native kernels (`native/`: row delivery, Poisson counts, neuron updates), or the JavaScript ones. */
const nativeKernels = new Set<boolean>();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median share of each worker's simulation time spent waiting at barriers, e.g. "4% 7%". */
function waitShares(runs: Array<Record<string, any>>): string {
  if (runs[0].per_worker.length < 2) return '-';
  return runs[0].per_worker
    .map((_: unknown, w: number) => median(runs.map((r) => barrierWaitShare(r.per_worker[w]))))
    .map((share: number) => `${(100 * share).toFixed(0)}%`)
    .join(' ');
}

/**
 * How long each of `workers` workers computed (its simulation time less its barrier waits) against
 * an even share of a one-worker run's simulation time, in paired repeats: with the barrier waits,
 * what keeps two workers from being twice as fast as one. Then the same for advancing (with the
 * Poisson counts drawn ahead while waiting, which advancing would otherwise draw) and delivering,
 * each against the one-worker run's.
 */
function computeShare(runs: Array<Record<string, any>>, alone: Array<Record<string, any>>, workers: number): string {
  const perWorker = (run: Record<string, any>, time: (w: Record<string, number>) => number) =>
    run.per_worker.reduce((sum: number, w: Record<string, number>) => sum + time(w), 0) / run.per_worker.length;
  const share = (time: (w: Record<string, number>) => number, whole: (r: Record<string, any>) => number) =>
    median(runs.map((r, i) => perWorker(r, time) / (whole(alone[i]) / workers))).toFixed(2);
  const computing = share((w) => w.compute_s, (r) => r.sim_s);
  const advancing = share((w) => w.advance_s + w.draw_ahead_s, (r) => r.per_worker[0].advance_s);
  const delivering = share((w) => w.deliver_s, (r) => r.per_worker[0].deliver_s);
  return `each worker computed ×${computing} as long as 1/${workers} of the 1-worker run (median): advancing ×${advancing} (with drawing ahead), delivering ×${delivering}`;
}

const header = ['network', 'workers', 'neurons', 'synapses', 'build s', 'sim s/model s', 'rtf', 'wall s', 'events/s', 'peak MiB', 'barrier wait'];
const rows: string[][] = [];
const speedups: string[] = [];
const selected = cases.filter((c) => !only || c.name.toLowerCase().startsWith(only.toLowerCase()));
for (const c of selected) {
  const nodes = c.nodes ? await startNodes(c.nodes, c.threadsPerNode ?? 1) : null;
  const partitions = c.nodes! * (c.threadsPerNode ?? 1);
  // Worker counts alternate within each repeat, so drift in the machine's speed hits them alike; a
  // gRPC case alternates with the same number of threads in one process, its baseline.
  const placements = nodes ? [['--nodes', nodes.addresses.join(','), '--token-file', nodes.tokenFile], ['--workers', String(partitions)]] : workerCounts.map((w) => ['--workers', String(w)]);
  const runsByPlacement = placements.map(() => [] as Array<Record<string, any>>);
  const pairs: Array<Array<Record<string, any>>> = [];
  const paces: ProcessorPace[] = [];
  for (let i = 0; i < repeat; i++) {
    for (const [p, placement] of placements.entries()) runsByPlacement[p].push(await runCase(c, placement));
    if (c.pairOfOne && !nodes) {
      pairs.push(await Promise.all([runCase(c, ['--workers', '1']), runCase(c, ['--workers', '1'])]));
      paces.push(await processorPace());
    }
  }
  nodes?.stop();
  if (nodes) {
    const [overNodes, onThreads] = runsByPlacement;
    rows.push(row(c, overNodes));
    const perChunk = median(overNodes.map((r) => r.bytes_per_chunk));
    const ratio = (key: string) => median(overNodes.map((r, i) => r[key] / onThreads[i][key])).toFixed(2);
    speedups.push(`${c.name}: ${(perChunk / 1024).toFixed(1)} KiB of spikes sent per chunk; against ${partitions} threads in one process in the same repeats `
      + `(median ${median(onThreads.map((r) => r.process_s)).toFixed(2)} s wall): sim ×${ratio('sim_s')}, wall ×${ratio('process_s')}`);
    continue;
  }
  const runsByWorkers = new Map(workerCounts.map((w, p) => [w, runsByPlacement[p]]));
  for (const runs of runsByWorkers.values()) rows.push(row(c, runs));
  const base = runsByWorkers.get(workerCounts[0])!;
  for (const workers of workerCounts.slice(1)) {
    const runs = runsByWorkers.get(workers)!;
    const ratio = (key: string) => median(runs.map((r, i) => base[i][key] / r[key])).toFixed(2);
    speedups.push(`${c.name}: ${workers} workers vs ${workerCounts[0]}: sim ×${ratio('sim_s')}, wall ×${ratio('process_s')} (median of paired repeats)`
      + (workerCounts[0] === 1 ? `; ${computeShare(runs, base, workers)}` : ''));
  }
  const alone = runsByWorkers.get(1);
  if (pairs.length > 0 && alone) {
    // Each of the two took this many times as long as a run alone in the same repeat; two workers
    // splitting the work perfectly could then be at most 2 / slowdown as fast as one.
    const slowdown = median(pairs.flatMap((pair, i) => pair.map((r) => r.sim_s / alone[i].sim_s)));
    speedups.push(`${c.name}: two 1-worker runs at once: each sim ×${slowdown.toFixed(2)} as long as one alone (median); `
      + `so 2 workers that split the work perfectly would be ×${(2 / slowdown).toFixed(2)} as fast as 1 on this machine today`);
  }
  if (paces.length > 0) {
    // Workers that meet every chunk go at the slower one's pace: this is what that costs them.
    const each = (key: 'median' | 'p90' | 'max' | 'twoWorkersAtMost') => paces.map((p) => `×${p[key].toFixed(2)}`).join(', ');
    speedups.push(`processors: in ${paces[0].windows} windows of ${paces[0].windowMs / 1000} s, the faster of two busy threads made this many times the slower's passes, `
      + `per repeat: median ${each('median')}; 90th percentile ${each('p90')}; at most ${each('max')}; `
      + `so 2 workers that meet every chunk could be at most ${each('twoWorkersAtMost')} as fast as 1`
      + (alone && runsByWorkers.has(2) ? ` (measured in the same repeats: ${alone.map((r, i) => `×${(r.sim_s / runsByWorkers.get(2)![i].sim_s).toFixed(2)}`).join(', ')})` : ''));
  }
}

/** One run of `c` through the CLI, placed by `placement`: its run.json, and the process's wall time. */
async function runCase(c: Case, placement: string[]): Promise<Record<string, any>> {
  const out = mkdtempSync(join(tmpdir(), 'spikegrid-bench-'));
  const args = ['run', c.model, '--t', String(tMs), ...c.set.flatMap((s) => ['--set', s]), ...(c.flags ?? []), ...placement, '--out', out, ...(c.record ? [] : ['--no-record']), '--no-progress'];
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin', 'spikegrid.mjs'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  // What the user waits for: the whole process, from Node's start to its exit.
  const processS = (performance.now() - started) / 1000;
  if (status !== 0) throw new Error(`${c.name} failed: ${stderr}`);
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  nativeKernels.add(manifest.native_kernels);
  return { ...manifest, process_s: processS };
}

/** Starts `count` worker nodes on loopback ports with a fresh token. */
async function startNodes(count: number, threads: number): Promise<{ addresses: string[]; tokenFile: string; stop: () => void }> {
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'spikegrid-bench-token-')), 'token');
  writeFileSync(tokenFile, randomBytes(16).toString('hex'));
  const children = Array.from({ length: count }, () => spawn(process.execPath, [join(root, 'bin', 'spikegrid.mjs'), 'worker', '--listen', '127.0.0.1:0', '--threads', String(threads), '--token-file', tokenFile]));
  const addresses = await Promise.all(children.map((child) => new Promise<string>((resolve) => {
    child.stdout.on('data', (d) => {
      const match = /listening on (\S+)/.exec(String(d));
      if (match) resolve(match[1]);
    });
  })));
  return { addresses, tokenFile, stop: () => children.forEach((child) => child.kill()) };
}

function row(c: Case, runs: Array<Record<string, any>>): string[] {
  const first = runs[0];
  const neurons = Object.values(first.populations as Record<string, { size: number }>).reduce((n, p) => n + p.size, 0);
  const m = (key: string) => median(runs.map((r) => r[key]));
  return [
    c.name, String(first.workers), String(neurons), String(first.synapses),
    m('build_s').toFixed(2), (m('sim_s') / (tMs / 1000)).toFixed(2), m('rtf').toFixed(2), m('process_s').toFixed(2),
    (m('events_per_s') / 1e6).toFixed(0) + ' M', m('peak_rss_mib').toFixed(0), waitShares(runs),
  ];
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`spikegrid bench, ${tMs} ms model time, median of ${repeat}, ${new Date().toISOString().slice(0, 10)}`);
const kernels = [...nativeKernels].map((native) => (native ? 'C (native/)' : 'JavaScript (SPIKEGRID_NATIVE=0 or not built)')).join(' and ');
console.log(`native kernels (delivery of rows with per-synapse weights or delays, Poisson counts, neuron updates): ${kernels}`);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
for (const speedup of speedups) console.log(speedup);
