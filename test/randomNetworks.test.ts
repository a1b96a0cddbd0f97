/**
 * Bit-identity across worker counts for networks nobody wrote by hand: small random networks of
 * every neuron model, generator, connection rule, storage and kind of weight and delay, with
 * populations smaller than the worker count and slices of monitors that cross partitions. Each runs
 * in this process and on 2 and 3 worker threads, and some over two gRPC worker nodes; spikes and
 * traces must be the same, bit for bit.
 */
import test, { type ExecutionContext } from 'ava';
import { MemoryRecorder, type SpikeMatrix, type TraceMatrix } from '../index.ts';
import { runNodes } from '../coordinator/runNodes.ts';
import { runThreads } from '../coordinator/runThreads.ts';
import { startNode } from '../worker/grpcNode.ts';
import type { MonitorResults } from '../src/monitor/results.ts';
import type { RunStats } from '../src/run/runLocal.ts';
import { seededRandom, simulate } from './helpers.ts';

/** Whole numbers and choices, the same on every run of the tests. */
function randomSource(seed: number) {
  const next = seededRandom(seed);
  return {
    int: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)),
    pick: <T>(options: readonly T[]): T => options[Math.floor(next() * options.length)],
  };
}

function randomNetwork(seed: number) {
  const { int, pick } = randomSource(seed);
  const populations = Array.from({ length: int(1, 4) }, (_, i) => ({
    name: `p${i}`, model: pick(['LIF', 'ExpLIF']), size: int(1, 60),
    params: { I_e: pick([0, 200, 400]), t_ref: pick([0, 2]) },
    v_init: pick<unknown>([-65, { Uniform: { low: -70, high: -52 } }]),
  }));
  const generators = Array.from({ length: int(0, 3) }, (_, i) => {
    const model = pick(['PoissonGenerator', 'DCGenerator', 'SpikeGenerator']);
    const size = int(1, 30);
    const params = model === 'PoissonGenerator' ? { rate: pick([100, 5000, 30000]) }
      : model === 'DCGenerator' ? { amplitude: pick([50, 300]), start: pick([0, 1]), stop: pick([3, 100]) }
        : { spike_times: Array.from({ length: size }, () => [int(1, 20) / 10, int(21, 40) / 10]) };
    return { name: `g${i}`, model, size, params };
  });
  const sizeOf = (name: string) => [...populations, ...generators].find((p) => p.name === name)!.size;
  const projections = Array.from({ length: int(1, 6) }, (_, k) => {
    const pre = pick([...populations, ...generators]).name;
    const post = pick(populations).name;
    const rules: object[] = [{ FixedProb: { p: pick([0.05, 0.3, 1]) } }, { All2All: {} }, { FixedInDegree: { degree: int(1, 5), multi_conn: true } },
      { FixedOutDegree: { degree: int(1, 5), multi_conn: true } }, { FixedTotalNum: { num: int(1, 50), multi_conn: true } }];
    if (sizeOf(pre) === sizeOf(post)) rules.push({ One2One: {} });
    const conn = pick(rules);
    return {
      name: `s${k}`, pre, post, conn,
      weight: pick<unknown>([pick([20, -30, 100]), { Normal: { mean: 30, sd: 20 } }, { Uniform: { low: -50, high: 80 } }]),
      delay_step: pick<unknown>([1, int(1, 30), { Uniform: { low: 1, high: int(2, 25) } }]),
      conn_repr: 'One2One' in conn || 'All2All' in conn ? pick(['CSR', 'MAT']) : 'CSR',
    };
  });
  const monitors = populations.flatMap((p) => [
    { target: p.name, attr: 'spike' },
    { target: p.name, attr: p.model === 'ExpLIF' ? pick(['v', 'i_syn_ex', 'i_syn_in']) : 'v', slice: [0, Math.min(p.size, 7)] },
  ]);
  return { raw: { dt: 0.1, seed: int(0, 1000), populations, generators, projections, monitors }, tMs: int(50, 400) / 10 };
}

/** Asserts that `run` gave the reference's spikes, and its recorder the reference's monitor data. */
function sameAsReference(t: ExecutionContext, label: string, run: RunStats, recorder: MemoryRecorder, reference: { stats: RunStats; mon: MonitorResults }) {
  t.is(run.spikes_sha256, reference.stats.spikes_sha256, label);
  for (const key of (Object.keys(reference.mon) as Array<keyof MonitorResults>).filter((k) => k !== 'ts')) {
    const [a, b] = [reference.mon[key], recorder.data[key]] as Array<SpikeMatrix | TraceMatrix>;
    if ('data' in a) t.deepEqual((b as TraceMatrix).data, a.data, `${label}, ${key}`);
    else t.deepEqual([(b as SpikeMatrix).steps, (b as SpikeMatrix).neurons], [a.steps, a.neurons], `${label}, ${key}`);
  }
}

for (const seed of [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233]) {
  test(`random network ${seed}: the same spikes and traces in this process and on 2 and 3 worker threads`, async (t) => {
    const { raw, tMs } = randomNetwork(seed);
    const reference = simulate(raw, tMs);
    for (const workers of [2, 3]) {
      const recorder = new MemoryRecorder();
      const run = await runThreads(reference.description, { steps: reference.stats.steps, workers, recorders: [recorder], batchSteps: 23 });
      sameAsReference(t, `${workers} workers`, run, recorder, reference);
    }
  });
}

test('random networks: the same spikes and traces over two gRPC worker nodes (1 and 2 partitions) as in this process', async (t) => {
  const token = 'random-networks-token';
  const nodes = await Promise.all([1, 2].map((threads) => startNode({ listen: '127.0.0.1:0', token, threads, log: () => {} })));
  try {
    for (const seed of [3, 8, 55, 144]) {
      const { raw, tMs } = randomNetwork(seed);
      const reference = simulate(raw, tMs);
      const recorder = new MemoryRecorder();
      const run = await runNodes(reference.description, { steps: reference.stats.steps, nodes: nodes.map((n) => n.address), token, recorders: [recorder], batchSteps: 23 });
      sameAsReference(t, `network ${seed} over nodes`, run, recorder, reference);
    }
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
});
