import test from 'ava';
import { MemoryRecorder, ModelError, nn, normalizeDescription, type NetworkDescription, type SpikeMatrix, type TraceMatrix } from '../index.ts';
import { planPartitions } from '../coordinator/planPartitions.ts';
import { runThreads } from '../coordinator/runThreads.ts';
import type { SynapseTable } from '../src/engine/connectivity/synapseTable.ts';
import { nativeKernels } from '../src/engine/nativeKernels.ts';
import { buildSynapseTables } from '../src/engine/partitionEngine.ts';
import type { MonitorResults } from '../src/monitor/results.ts';
import { checkNetworkFits } from '../src/run/networkFits.ts';
import { stepsFor } from '../src/run/runLocal.ts';
import brunel from '../examples/brunel.ts';
import pd14 from '../examples/pd14.ts';
import { sameMonitors, simulate, withJavaScript } from './helpers.ts';

type Precision = NetworkDescription['precision'];

/** The microcircuit, small, with Poisson background: ExpLIF rings of both signs, tables that share their arrays, generator counts. */
const microcircuit = (precision: Precision) => normalizeDescription({
  ...nn.describeNetwork(new (pd14({ scale: 0.02, bg: 'poisson' }))()), seed: 3, precision,
  monitors: [{ target: 'L4E', attr: 'i_syn_ex' }, { target: 'L4I', attr: 'i_syn_in' }, { target: 'L23E', attr: 'spike' }, { target: 'L5E', attr: 'spike' }],
});
/** Brunel's network, small: LIF's one ring, one weight for all synapses. */
const brunelNet = (precision: Precision) => normalizeDescription({
  ...nn.describeNetwork(new (brunel({ scale: 0.05 }))()), seed: 3, precision, monitors: [{ target: 'E', attr: 'v' }, { target: 'E', attr: 'spike' }],
});

/** Every (source, target, weight, delay) of a table, row by row. */
function synapses(table: SynapseTable): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < table.nSources; s++) {
    for (let k = table.rowStart[s]; k < table.rowEnd[s]; k++) out.push([s, table.targets[k], table.weights ? table.weights[k] : table.weight, table.delays ? table.delays[k] : table.delay]);
  }
  return out;
}

test('in single precision each weight is stored as the 32-bit float nearest its 64-bit draw; the synapses are the same', (t) => {
  for (const network of [microcircuit, brunelNet]) {
    // The second of two workers' tables.
    const [double, single] = (['double', 'single'] as const).map((precision) => buildSynapseTables(network(precision), planPartitions(network(precision), 2)[1]));
    single.forEach((table, index) => {
      if (table.weights !== null) t.true(table.weights instanceof Float32Array, `projection ${index}`);
      const expected = synapses(double[index]).map(([s, target, w, d]) => [s, target, Math.fround(w), d]);
      t.deepEqual(synapses(table), expected, `projection ${index}`);
    });
    t.true(single.some((table, index) => synapses(table).some(([, , w], k) => w !== synapses(double[index])[k][2])), 'some weight changed');
  }
});

/** Each run lasts this long, in one process (`local`) or on worker threads. */
const T_MS = 30;
const local = (description: NetworkDescription) => simulate(description, T_MS).mon;

for (const [name, network] of [['the microcircuit', microcircuit], ['Brunel', brunelNet]] as const) {
  test.serial(`${name} in single precision: the same spikes and traces on 1, 2 and 3 worker threads, in C and in JavaScript, and traces that differ from double precision`, async (t) => {
    t.not(nativeKernels(), null, 'the addon is built');
    const description = network('single');
    const reference = local(description);
    sameMonitors(t, reference, await withJavaScript(() => local(description)), 'JavaScript kernels');
    for (const workers of [2, 3]) {
      const recorder = new MemoryRecorder();
      await runThreads(description, { steps: stepsFor(T_MS, description.dt), workers, recorders: [recorder] });
      sameMonitors(t, reference, recorder.data, `${workers} workers`);
    }
    // The inputs were rounded to 32 bits: the traces are not those of double precision.
    const double = local(network('double'));
    const traces = Object.keys(reference).filter((key) => 'data' in (reference[key as keyof MonitorResults] as object)) as Array<keyof MonitorResults>;
    t.true(traces.length > 0);
    t.true(traces.some((key) => (reference[key] as TraceMatrix).data.some((x, i) => x !== (double[key] as TraceMatrix).data[i])), 'some value differs from double precision');
    const spikes = (reference['E.spike' as keyof MonitorResults] ?? reference['L23E.spike' as keyof MonitorResults]) as SpikeMatrix;
    t.true(spikes.steps.length > 0, 'the network fires');
  });
}

test('precision is double or single, and anything else is refused naming the field', (t) => {
  const raw = nn.describeNetwork(new (brunel({ scale: 0.05 }))());
  t.is(normalizeDescription(raw).precision, 'double', 'the default');
  t.is(normalizeDescription({ ...raw, precision: 'single' }).precision, 'single');
  const error = t.throws(() => normalizeDescription({ ...raw, precision: 'half' }), { instanceOf: ModelError });
  t.is(error.message, 'Network: precision must be one of double, single, got "half"');
});

test('the memory estimate counts 4 bytes for a weight and a ring slot in single precision', (t) => {
  const GiB = 2 ** 30;
  const needed = (precision: Precision) => {
    const description = normalizeDescription({ ...nn.describeNetwork(new (pd14({ scale: 1 }))()), precision });
    const error = t.throws(() => checkNetworkFits(description, 2, 2, { memory: 1 * GiB }), { instanceOf: ModelError });
    return Number(/needs ≈ ([\d.]+) GiB/.exec(error.message)![1]);
  };
  // Each of the two workers holds ≈ 149 M synapses, 4 bytes fewer each (≈ 0.56 GiB), and as many
  // fewer in the copy of its largest group. The full-scale run peaked at 2 894–3 259 MiB in single
  // precision, 4 149–4 720 MiB in double (bench/README.md).
  t.is(needed('double'), 4.5);
  t.is(needed('single'), 3.0);
});
