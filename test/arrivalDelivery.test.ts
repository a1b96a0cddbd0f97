import test from 'ava';
import { normalizeDescription, type SpikeMatrix } from '../index.ts';
import { arrivalGroups, type ProjectionRole } from '../src/engine/connectivity/arrivalDelivery.ts';
import type { SynapseTable } from '../src/engine/connectivity/synapseTable.ts';
import { wholeNetwork } from '../src/engine/layout.ts';
import { nativeKernels } from '../src/engine/nativeKernels.ts';
import { PartitionEngine } from '../src/engine/partitionEngine.ts';
import { population, recordedRun, sameMonitors, withJavaScript } from './helpers.ts';

// The tests switch between the kernels (`withJavaScript`), so they run one at a time.

/** A table of one synapse per source, with a weight and a delay per synapse unless `oneDelay`. */
function table(options: { targets?: Uint16Array; maxDelay?: number; oneDelay?: boolean } = {}): SynapseTable {
  const rowStart = Uint32Array.of(0, 1);
  return {
    nSources: 1, rowStart, rowEnd: rowStart.subarray(1), targets: options.targets ?? Uint16Array.of(0), count: 1,
    weights: Float64Array.of(1), weight: 0, delays: options.oneDelay ? null : Uint16Array.of(1), delay: 1, maxDelay: options.maxDelay ?? 1,
  };
}

/** A projection between populations `pre` (-1: a generator) and `post`. */
function role(pre: number, post: number, t: SynapseTable, more: Partial<ProjectionRole> = {}): ProjectionRole {
  return { pre, post, table: t, sparse: true, synaptic: true, ...more };
}

/** Per projection: whether `arrivalGroups` takes it. */
function arrivalProjections(roles: ProjectionRole[]): boolean[] {
  const taken = new Set(arrivalGroups(roles).flat());
  return roles.map((_, index) => taken.has(index));
}

test.serial('a projection is delivered in arrival order only if every projection into its targets\' synaptic rings can be', async (t) => {
  t.not(nativeKernels(), null, 'the addon is built');
  // Per-synapse weights and delays from two populations into a third: both taken.
  t.deepEqual(arrivalProjections([role(0, 2, table()), role(1, 2, table())]), [true, true]);
  // A generator's current does not write into the synaptic rings.
  t.deepEqual(arrivalProjections([role(0, 2, table()), role(-1, 2, table({ oneDelay: true }), { synaptic: false })]), [true, false]);
  // What writes into them otherwise keeps the whole population out: a generator's spikes, one
  // delay for a whole projection, a dense table, delays the addon's keys cannot hold.
  for (const other of [role(-1, 2, table()), role(1, 2, table({ oneDelay: true })), role(1, 2, table(), { sparse: false }), role(1, 2, table({ maxDelay: 256 }))]) {
    t.deepEqual(arrivalProjections([role(0, 2, table()), other, role(0, 3, table())]), [false, false, true]);
  }
  // Tables that share their arrays go together: one that cannot keeps the other out too.
  const shared = Uint16Array.of(0);
  t.deepEqual(arrivalProjections([role(0, 2, table({ targets: shared })), role(0, 3, table({ targets: shared, maxDelay: 300 }))]), [false, false]);
  t.deepEqual(arrivalProjections([role(0, 2, table({ targets: shared })), role(0, 3, table({ targets: shared }))]), [true, true]);
  // Two groups of one source population into one population would add in the groups' order.
  t.deepEqual(arrivalProjections([role(0, 2, table()), role(0, 2, table())]), [false, false]);
  // An empty table writes nothing and keeps nothing out.
  t.deepEqual(arrivalProjections([role(0, 2, table()), role(-1, 2, { ...table(), count: 0 })]), [true, false]);
  // Without the addon, nothing.
  t.deepEqual(await withJavaScript(() => arrivalProjections([role(0, 2, table())])), [false]);
});

/**
 * Delays of 3 to 14 steps (chunks of 3 steps), weights of both signs into an ExpLIF population (two
 * rings) and a LIF one (one ring), two projections from one source into one population, and a
 * population of more than 65 536 neurons (32-bit targets); DC current drives the neurons.
 */
function network(precision: 'double' | 'single') {
  const lif = { E_L: 0, C_m: 1, tau_m: 20, t_ref: 2, V_th: 20, V_reset: 0 };
  const expLif = { E_L: -70, C_m: 250, tau_m: 10, t_ref: 2, V_th: -55, V_reset: -70, tau_syn_ex: 0.5, tau_syn_in: 0.5 };
  const weight = (mean: number, sd: number) => ({ Normal: { mean, sd } });
  const delay = { Uniform: { low: 3, high: 14 } };
  return normalizeDescription({
    seed: 11,
    precision,
    populations: [
      population('E', 'ExpLIF', 400, expLif, { Uniform: { low: -70, high: -55 } }),
      population('I', 'ExpLIF', 100, expLif, { Uniform: { low: -70, high: -55 } }),
      population('L', 'LIF', 70_000, lif, { Uniform: { low: 0, high: 20 } }),
    ],
    generators: [{ name: 'dc', model: 'DCGenerator', size: 1, params: { amplitude: 1000 } }, { name: 'dcL', model: 'DCGenerator', size: 1, params: { amplitude: 1.1 } }],
    projections: [
      { name: 'E_E', pre: 'E', post: 'E', conn: { FixedProb: { p: 0.1 } }, weight: weight(20, 40), delay_step: delay },
      { name: 'I_E', pre: 'I', post: 'E', conn: { FixedProb: { p: 0.2 } }, weight: weight(-60, 10), delay_step: delay },
      { name: 'E_I', pre: 'E', post: 'I', conn: { FixedProb: { p: 0.1 } }, weight: weight(30, 5), delay_step: delay },
      { name: 'E_I_again', pre: 'E', post: 'I', conn: { FixedProb: { p: 0.1 } }, weight: weight(-10, 30), delay_step: delay },
      { name: 'E_L', pre: 'E', post: 'L', conn: { FixedProb: { p: 0.002 } }, weight: weight(0.5, 0.2), delay_step: delay },
      { name: 'I_L', pre: 'I', post: 'L', conn: { FixedProb: { p: 0.002 } }, weight: weight(-1, 0.2), delay_step: delay },
      { name: 'dc_E', pre: 'dc', post: 'E', conn: { All2All: {} }, weight: 1, delay_step: 1 },
      { name: 'dc_I', pre: 'dc', post: 'I', conn: { All2All: {} }, weight: 1, delay_step: 1 },
      { name: 'dc_L', pre: 'dcL', post: 'L', conn: { All2All: {} }, weight: 1, delay_step: 1 },
    ],
    monitors: [{ target: 'E', attr: 'spike' }, { target: 'L', attr: 'spike' }, { target: 'E', attr: 'v', slice: [0, 20] }, { target: 'I', attr: 'v' }, { target: 'L', attr: 'v', slice: [69_990, 70_000] }],
  });
}

for (const precision of ['double', 'single'] as const) {
  test.serial(`rows delivered in arrival order add what the JavaScript kernels add, bit for bit, in ${precision} precision, on 1 and 2 workers`, async (t) => {
    const description = network(precision);
    // Every population's synaptic input comes in arrival order: its rings hold a chunk's slots.
    const engine = new PartitionEngine(description, wholeNetwork(description));
    t.is(engine.chunkSteps, 3);
    for (const p of engine.populations) t.deepEqual([p.ringSlots.positive, p.ringSlots.negative], [3, 3], p.name);
    const javascript = await withJavaScript(() => recordedRun(description, 300, 1));
    t.true((javascript.data['E.spike'] as SpikeMatrix).steps.length > 200, 'E spikes');
    t.true((javascript.data['L.spike'] as SpikeMatrix).steps.length > 200, 'L spikes');
    for (const workers of [1, 2]) {
      const native = await recordedRun(description, 300, workers);
      t.is(native.stats.spikes_sha256, javascript.stats.spikes_sha256, `${workers} worker(s)`);
      t.is(native.stats.neuron_events, javascript.stats.neuron_events, `${workers} worker(s)`);
      sameMonitors(t, native.data, javascript.data, `${workers} worker(s)`);
    }
  });
}

/** One source's row: targets [0, 1, 0], weights [1, 2, 4], delays [2, 1, 2], into a ring of two slots of two targets. */
function smallRows() {
  const native = nativeKernels()!;
  const ring = new Float64Array(4);
  const handle = native.arrivals([ring], Uint32Array.of(2), Uint32Array.of(2));
  const rows: Parameters<typeof native.arrivalSource> = [handle, [Uint32Array.of(0, 3)], [Uint32Array.of(3)], Uint16Array.of(0, 1, 0), Float64Array.of(1, 2, 4), Uint16Array.of(2, 1, 2), Int32Array.of(0, -1)];
  return { native, ring, handle, rows };
}

test.serial('a pass adds each synapse into the slot of the step it arrives at, for the steps asked for', (t) => {
  const { native, ring, handle, rows } = smallRows();
  const source = native.arrivalSource(...rows);
  t.is(native.arrivalSpike(handle, source, 0, 0), 3);
  // Step 1: the delay-1 synapse, into slot 1; step 2: the delay-2 ones, into slot 0, in row order.
  t.is(native.arrive(handle, 1, 1), 1);
  t.deepEqual([...ring], [0, 0, 0, 2]);
  t.is(native.arrive(handle, 2, 1), 2);
  t.deepEqual([...ring], [5, 0, 0, 2]);
  // The spike has no synapse left.
  t.is(native.arrive(handle, 3, 1), 0);
  // A pass of two steps (a chunk of two) adds into both slots.
  ring.fill(0);
  t.is(native.arrivalSpike(handle, source, 0, 3), 3);
  t.is(native.arrive(handle, 4, 2), 3);
  t.deepEqual([...ring], [0, 2, 5, 0]);
});

test.serial('delivery in arrival order refuses rows, rings and steps that would take it outside its arrays', (t) => {
  const refused = (change: (rows: ReturnType<typeof smallRows>['rows']) => void, message: RegExp) => {
    const { native, rows } = smallRows();
    change(rows);
    t.throws(() => native.arrivalSource(...rows), { message }, message.source);
  };
  refused((rows) => (rows[2] = [Uint32Array.of(4)]), /a row goes past the synapses/);
  refused((rows) => (rows[1] = [Uint32Array.of(4)]), /a row ends before it begins/);
  refused((rows) => (rows[5] = Uint16Array.of(2, 0, 2)), /a delay is not between 1 and 255 steps/);
  refused((rows) => (rows[5] = Uint16Array.of(2, 256, 2)), /a delay is not between 1 and 255 steps/);
  refused((rows) => (rows[3] = Uint16Array.of(0, 2, 0)), /a target is outside its ring/);
  refused((rows) => (rows[4] = Float64Array.of(1, -2, 4)), /a synapse's weight has a sign its projection has no ring for/);
  refused((rows) => (rows[6] = Int32Array.of(1, -1)), /a projection's ring is not among the rings/);
  refused((rows) => (rows[4] = Float32Array.of(1, 2, 4)), /arrivalSource\(\) takes/);
  // Two projections whose rows of one source do not follow one another.
  refused((rows) => {
    rows[1] = [Uint32Array.of(0), Uint32Array.of(2)];
    rows[2] = [Uint32Array.of(1), Uint32Array.of(3)];
    rows[6] = Int32Array.of(0, -1, 0, -1);
  }, /a source's rows do not follow one another/);

  const { native, handle, rows } = smallRows();
  t.throws(() => native.arrivals([new Float64Array(3)], Uint32Array.of(2), Uint32Array.of(2)), { message: /arrivals\(\) takes/ });
  t.throws(() => native.arrivals([new Float64Array(4), new Float32Array(4)], Uint32Array.of(2, 2), Uint32Array.of(2, 2)), { message: /arrivals\(\) takes/ });
  const source = native.arrivalSource(...rows);
  t.throws(() => native.arrivalSpike(handle, source, 1, 0), { message: /no such source or row/ });
  native.arrivalSpike(handle, source, 0, 5);
  t.throws(() => native.arrive(handle, 5, 1), { message: /after every remembered spike/ });
  t.throws(() => native.arrive(handle, 6, 3), { message: /no more of them than any ring has slots/ });
  // The delay-1 synapse of the spike at step 5 arrives at step 6: a call that skips it is refused.
  t.throws(() => native.arrive(handle, 7, 1), { message: /arrives before the steps/ });
  t.is(native.arrive(handle, 6, 1), 1);
  t.throws(() => native.arrive(handle, 8, 1), { message: /arrives before the steps/ });
});
