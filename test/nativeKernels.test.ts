import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeDescription, nn, type SpikeMatrix, type TraceMatrix } from '../index.ts';
import { rowDelivery, type RowDelivery } from '../src/engine/connectivity/delivery.ts';
import { nativeRows } from '../src/engine/connectivity/nativeDelivery.ts';
import { PREFETCH_FROM_BYTES, rowPrefetch, sourcePrefetch } from '../src/engine/connectivity/rowPrefetch.ts';
import { buildSynapseTables } from '../src/engine/partitionEngine.ts';
import { planPartitions } from '../coordinator/planPartitions.ts';
import { NATIVE_FROM, nativeKernels, nativeKernelsPath, useNativeKernels } from '../src/engine/nativeKernels.ts';
import type { SynapseTable } from '../src/engine/connectivity/synapseTable.ts';
import brunel from '../examples/brunel.ts';
import pd14 from '../examples/pd14.ts';
import { nativeOneEachInputs, nativePoissonCounts } from '../src/engine/nativePoisson.ts';
import { nativeNeuronStep } from '../src/engine/models/nativeNeurons.ts';
import { emptyChunkSpikes } from '../src/engine/population.ts';
import { keyedBits, mixCounter, streamKey } from '../src/random/counter.ts';
import { countFrom, GUIDE_BITS, PoissonSampler } from '../src/random/distributions.ts';
import { recordedRun, seededRandom, withJavaScript } from './helpers.ts';

// The tests switch between the kernels (`withJavaScript`), so they run one at a time.
const addon = nativeKernelsPath();

test.serial('npm ci builds the native kernels, and runs use them', (t) => {
  t.not(addon, null, 'native/build/Release/kernels.node did not load: run `npm run install` (node-gyp and a C compiler) and read its errors');
  t.not(nativeKernels(), null);
});

/**
 * A table of `rows` random rows into `size` targets, as `sortBySource` makes them; with `bothSigns`,
 * a third of the weights are negative, with delays that fit the shorter negative ring.
 */
function randomTable(rows: number, size: number, perSynapseWeight: boolean, perSynapseDelay: boolean, wide: boolean, bothSigns: boolean): SynapseTable {
  const random = seededRandom(7);
  const rowStart = new Uint32Array(rows + 1);
  for (let r = 0; r < rows; r++) rowStart[r + 1] = rowStart[r] + Math.floor(random() * 300);
  const count = rowStart[rows];
  const targets = wide ? new Uint32Array(count) : new Uint16Array(count);
  const weights = new Float64Array(count);
  const delays = new Uint16Array(count);
  for (let k = 0; k < count; k++) {
    targets[k] = Math.floor(random() * size);
    const negative = bothSigns && random() < 1 / 3;
    weights[k] = (negative ? -4 : 1) * 87.81 * (1 + 0.1 * (random() - 0.5)) / 3;
    delays[k] = 1 + Math.floor(random() * (negative ? NEGATIVE_SLOTS - 1 : 40));
  }
  return {
    nSources: rows, rowStart, rowEnd: rowStart.subarray(1), targets, count,
    weights: perSynapseWeight ? weights : null, weight: 0.1 / 3,
    delays: perSynapseDelay ? delays : null, delay: 7,
    maxDelay: perSynapseDelay ? 40 : 7,
  };
}

const NEGATIVE_SLOTS = 23;

/** Input rings of `size` targets: one for both signs, or a shorter one of their own for negative weights. */
function rings(size: number, bothSigns: boolean) {
  const positive = new Float64Array(41 * size);
  const negative = bothSigns ? new Float64Array(NEGATIVE_SLOTS * size) : positive;
  const ringSlots = { positive: 41, negative: bothSigns ? NEGATIVE_SLOTS : 41, current: 41 };
  return { size, ringPositive: positive, ringNegative: negative, ringCurrent: positive, ringSlots };
}

/** Delivers the same rows, steps and amounts through `deliver`; the rings it wrote. */
function deliverAll(make: () => { deliver: RowDelivery; rings: Float64Array[] }, rows: number): { rings: Float64Array[]; reached: number } {
  const { deliver, rings } = make();
  let reached = 0;
  for (let n = 0; n < 5000; n++) reached += deliver((n * 7919) % rows, 3 * n + (n % 5), n % 3 === 0 ? 2 : 1.25);
  return { rings, reached };
}

for (const [label, perSynapseWeight, perSynapseDelay, wide, bothSigns] of [
  ['per-synapse weights and delays, 16-bit targets', true, true, false, false],
  ['per-synapse weights and delays, 32-bit targets', true, true, true, false],
  ['per-synapse weights, one delay', true, false, false, false],
  ['one weight, per-synapse delays', false, true, true, false],
  ['weights of both signs into two rings, per-synapse delays', true, true, false, true],
  ['weights of both signs into two rings, one delay, 32-bit targets', true, false, true, true],
] as const) {
  test.serial(`the C kernel adds the same numbers as the JavaScript kernel, bit for bit: ${label}`, async (t) => {
    const size = wide ? 70_000 : 3_000;
    const table = randomTable(500, size, perSynapseWeight, perSynapseDelay, wide, bothSigns);
    const make = () => {
      const target = rings(size, bothSigns);
      const deliver = rowDelivery(table, target, 'synaptic', bothSigns ? 'both' : 'positive');
      return { deliver, rings: bothSigns ? [target.ringPositive, target.ringNegative] : [target.ringPositive] };
    };
    const native = deliverAll(make, 500);
    const javascript = await withJavaScript(() => deliverAll(make, 500));
    t.is(native.reached, javascript.reached);
    t.true(native.reached > 100_000, `${native.reached} synapses reached`);
    native.rings.forEach((ring, r) => {
      t.true(ring.some((x) => (r === 0 ? x > 0 : x < 0)), `ring ${r} received its sign`);
      const differs = ring.findIndex((x, i) => !Object.is(x, javascript.rings[r][i]));
      t.is(differs, -1, `ring ${r}, slot × target ${differs}: ${ring[differs]} against ${javascript.rings[r][differs]}`);
    });
  });
}

test.serial('the C kernel refuses a table or a row that would take it outside its arrays, where JavaScript would ignore the write', (t) => {
  const table = (targets: number[], delays: number[] | null, delay = 1): SynapseTable => ({
    nSources: 1, rowStart: Uint32Array.of(0), rowEnd: Uint32Array.of(targets.length), targets: Uint16Array.from(targets), count: targets.length,
    weights: null, weight: 1, delays: delays && Uint16Array.from(delays), delay, maxDelay: 0,
  });
  const ring = new Float64Array(4 * 10);
  const into = { ring, slots: 4 };
  t.throws(() => nativeRows(table([2, 10], [1, 1]), 10, into), { instanceOf: RangeError, message: /target is outside the ring/ });
  t.throws(() => nativeRows(table([2, 3], [1, 4]), 10, into), { instanceOf: RangeError, message: /delay is not below the ring's slots/ });
  t.throws(() => nativeRows(table([2, 3], null, 4), 10, into), { instanceOf: RangeError, message: /delay is not below the ring's slots/ });
  t.throws(() => nativeRows(table([2, 3], [1, 1]), 10, { ring, slots: 5 }), { instanceOf: RangeError, message: /ring is shorter/ });
  // Both signs: a negative weight's delay must fit the negative ring, which may be shorter.
  const mixed = { ...table([2, 3], [3, 3]), weights: Float64Array.of(1, -1) };
  t.throws(() => nativeRows(mixed, 10, into, { ring: new Float64Array(3 * 10), slots: 3 }), { instanceOf: RangeError, message: /delay is not below the ring's slots/ });
  t.throws(() => nativeRows(mixed, 10, into, { ring: new Float64Array(10), slots: 4 }), { instanceOf: RangeError, message: /negative ring is shorter/ });
  t.throws(() => nativeRows(table([2, 3], [1, 1]), 10, into, { ring: new Float64Array(40), slots: 4 }), { instanceOf: TypeError, message: /wrong type/ }, 'both signs need per-synapse weights');
  // Rows are ranges of the arrays, which other tables may share: each must lie inside them, and begin before it ends.
  t.throws(() => nativeRows({ ...table([2, 3], [1, 1]), rowEnd: Uint32Array.of(3) }, 10, into), { instanceOf: RangeError, message: /row goes past the synapses/ });
  t.throws(() => nativeRows({ ...table([2, 3], [1, 1]), rowStart: Uint32Array.of(2), rowEnd: Uint32Array.of(1) }, 10, into), { instanceOf: RangeError, message: /row ends before it begins/ });
  t.throws(() => nativeRows({ ...table([2, 3], [1, 1]), rowEnd: Uint32Array.of(1, 2) }, 10, into), { instanceOf: TypeError, message: /wrong type/ }, 'a row start per row end');
  // Only the table's own rows are checked: a shared array's other synapses are another table's to check.
  t.notThrows(() => nativeRows({ ...table([2, 3, 99], [1, 1, 9]), rowEnd: Uint32Array.of(2) }, 10, into));
  // Weights and rings of one precision: 64 bits, or 32 in single precision.
  const weighted = { ...table([2, 3], [1, 1]), weights: Float64Array.of(1, 2) };
  t.throws(() => nativeRows(weighted, 10, { ring: new Float32Array(40), slots: 4 }), { instanceOf: TypeError, message: /wrong type/ }, '64-bit weights into a 32-bit ring');
  t.throws(() => nativeRows({ ...weighted, weights: Float32Array.of(1, 2) }, 10, into), { instanceOf: TypeError, message: /wrong type/ }, '32-bit weights into a 64-bit ring');
  t.throws(() => nativeRows({ ...mixed, weights: Float32Array.of(1, -1) }, 10, { ring: new Float32Array(40), slots: 4 }, { ring: new Float64Array(40), slots: 4 }), { instanceOf: TypeError, message: /wrong type/ }, 'a negative ring of the other precision');
  t.notThrows(() => nativeRows({ ...weighted, weights: Float32Array.of(1, 2) }, 10, { ring: new Float32Array(40), slots: 4 }));
  // No synapse, nothing to deliver: one delay longer than the ring does not matter.
  t.notThrows(() => nativeRows(table([], null, 9), 10, into));
  const deliver = nativeRows(table([2, 9], [1, 3]), 10, into)!;
  t.is(deliver(0, 2, 1.5), 2);
  t.is(ring[3 * 10 + 2], 1.5);
  t.is(ring[1 * 10 + 9], 1.5, 'slot (2 + 3) % 4');
  t.throws(() => deliver(1, 0, 1), { instanceOf: RangeError, message: /no such row/ });
});

test.serial('a worker that holds none of the synapses of a projection with per-synapse weights and one long delay runs, with the same spikes', async (t) => {
  // One synapse in all: on two workers, one of them holds none, and sizes the ring of `b` by the other projection's short delay.
  const lonely = normalizeDescription({
    seed: 4,
    populations: [{ name: 'a', model: 'LIF', size: 10, params: { I_e: 400 } }, { name: 'b', model: 'LIF', size: 10 }],
    projections: [
      { name: 'one', pre: 'a', post: 'b', conn: { FixedTotalNum: { num: 1, multi_conn: true } }, weight: { Uniform: { low: 20, high: 30 } }, delay_step: 30 },
      { name: 'near', pre: 'a', post: 'b', conn: { One2One: {} }, weight: 2, delay_step: 1 },
    ],
    monitors: [{ target: 'b', attr: 'v', slice: [0, 10] }],
  });
  const { stats: reference, data: local } = await recordedRun(lonely, 500, 1);
  const { stats: two, data: threads } = await recordedRun(lonely, 500, 2);
  t.deepEqual(two.per_worker.map((w) => w.synapses).sort(), [5, 6]);
  t.is(two.spikes_sha256, reference.spikes_sha256);
  t.deepEqual((threads['b.v'] as TraceMatrix).data, (local['b.v'] as TraceMatrix).data);
});

/** The microcircuit (per-synapse weights and delays) at a small scale, with spikes and a trace. */
const description = normalizeDescription({
  ...nn.describeNetwork(new (pd14({ scale: 0.02 }))()),
  seed: 3,
  monitors: [{ target: 'L23E', attr: 'spike' }, { target: 'L4E', attr: 'spike' }, { target: 'L5E', attr: 'v', slice: [0, 25] }],
});

async function runs(workers: number, of = description) {
  return recordedRun(of, 2000, workers);
}

for (const workers of [1, 2]) {
  test.serial(`PD14: the same spikes and traces with the C kernel as with JavaScript, on ${workers} worker(s)`, async (t) => {
    const native = await runs(workers);
    const javascript = await withJavaScript(() => runs(workers));
    t.true(native.stats.spikes > 100, `${native.stats.spikes} spikes`);
    t.is(native.stats.spikes_sha256, javascript.stats.spikes_sha256);
    t.is(native.stats.neuron_events, javascript.stats.neuron_events);
    for (const key of ['L23E.spike', 'L4E.spike'] as const) {
      const a = native.data[key] as SpikeMatrix;
      const b = javascript.data[key] as SpikeMatrix;
      t.deepEqual(a.steps, b.steps, key);
      t.deepEqual(a.neurons, b.neurons, key);
    }
    t.deepEqual((native.data['L5E.v'] as TraceMatrix).data, (javascript.data['L5E.v'] as TraceMatrix).data);
    // Each worker (each thread, with several) ran the kernel it was told to use.
    t.deepEqual(native.stats.per_worker.map((w) => w.native_kernels), Array(workers).fill(true));
    t.deepEqual(javascript.stats.per_worker.map((w) => w.native_kernels), Array(workers).fill(false));
  });
}

/** Brunel at `scale=0.4`: one weight and one delay per projection, and rows enough that the engine asks for them ahead of delivering them. */
const uniformRows = normalizeDescription({ ...nn.describeNetwork(new (brunel({ scale: 0.4 }))()), seed: 5, monitors: [{ target: 'E', attr: 'spike' }] });

for (const workers of [1, 2]) {
  test.serial(`Brunel, its rows asked for ahead: the same spikes with the addon as with JavaScript, on ${workers} worker(s)`, async (t) => {
    // Each worker asks for the excitatory neurons' rows: their tables exceed PREFETCH_FROM_BYTES.
    for (const plan of planPartitions(uniformRows, workers)) {
      const tables = buildSynapseTables(uniformRows, plan);
      const fromE = tables.filter((_, index) => uniformRows.projections[index].pre === 'E');
      t.not(rowPrefetch(fromE), null, `worker ${plan.index}`);
    }
    const native = await runs(workers, uniformRows);
    const javascript = await withJavaScript(() => runs(workers, uniformRows));
    t.true(native.stats.spikes > 1000, `${native.stats.spikes} spikes`);
    t.is(native.stats.spikes_sha256, javascript.stats.spikes_sha256);
    t.is(native.stats.neuron_events, javascript.stats.neuron_events);
    t.deepEqual((native.data['E.spike'] as SpikeMatrix).neurons, (javascript.data['E.spike'] as SpikeMatrix).neurons);
    t.deepEqual(native.stats.per_worker.map((w) => w.native_kernels), Array(workers).fill(true));
  });
}

test.serial('the prefetch of a source\'s rows refuses a table whose rows lie outside its arrays, and asks for any row, or one past the last, without a change', (t) => {
  const table = (targets: number[], rowEnd: number[], rowStart = [0, ...rowEnd.slice(0, -1)]): SynapseTable => ({
    nSources: rowEnd.length, rowStart: Uint32Array.from(rowStart), rowEnd: Uint32Array.from(rowEnd), targets: Uint16Array.from(targets),
    count: targets.length, weights: null, weight: 1, delays: null, delay: 1, maxDelay: 1,
  });
  const refusal = { instanceOf: TypeError, message: /arrays hold every row/ };
  t.is(sourcePrefetch([]), null, 'no table, nothing to ask for');
  t.throws(() => sourcePrefetch([table([1, 2], [1, 3])]), refusal, 'a row past the targets');
  t.throws(() => sourcePrefetch([table([1, 2], [1, 1], [0, 2])]), refusal, 'a row that ends before it begins');
  t.throws(() => sourcePrefetch([{ ...table([1, 2], [1, 2]), rowStart: Uint32Array.of(0) }]), refusal, 'a row end without its start');
  t.throws(() => sourcePrefetch([{ ...table([1, 2], [1, 2]), weights: Float32Array.of(1) }]), refusal, 'weights shorter than the rows');
  t.throws(() => sourcePrefetch([{ ...table([1, 2], [1, 2]), delays: Uint32Array.of(1, 1) as unknown as Uint16Array }]), refusal, 'delays of 32 bits');
  t.throws(() => sourcePrefetch([table([1, 2], [1, 2]), table([1], [2])]), refusal, 'any table of the source');
  // Rows of every kind of array, shared by two tables as a source's rows are (`groupBySource`).
  const shared = { ...table([1, 2, 3, 4, 5], [2, 5]), weights: Float64Array.of(1, 2, 3, 4, 5), delays: Uint16Array.of(1, 2, 3, 4, 5) };
  const other = { ...shared, targets: Uint32Array.from(shared.targets), weights: Float32Array.from(shared.weights), rowStart: Uint32Array.of(2), rowEnd: Uint32Array.of(5) };
  const prefetch = sourcePrefetch([shared, other])!;
  const contents = () => JSON.stringify([shared, other], (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint16Array) : v));
  const before = contents();
  for (const row of [0, 1, 2, 3, 4_000_000_000]) t.is(prefetch(row), undefined);
  t.is(contents(), before);
});

test.serial('rows are asked for ahead only where it pays: rows with one delay, more of them than the caches hold', (t) => {
  const count = PREFETCH_FROM_BYTES / 2 + 1000; // 16-bit targets: just over the threshold
  const rowEnd = Uint32Array.from({ length: 100 }, (_, r) => Math.round(((r + 1) * count) / 100));
  const large: SynapseTable = {
    nSources: 100, rowStart: Uint32Array.from([0, ...rowEnd.subarray(0, 99)]), rowEnd, targets: new Uint16Array(count), count,
    weights: null, weight: 1, delays: null, delay: 1, maxDelay: 1,
  };
  t.not(rowPrefetch([large]), null, 'one delay, over the threshold');
  t.is(rowPrefetch([{ ...large, delays: new Uint16Array(count) }]), null, 'a delay per synapse: the ring is what waits');
  const half = { ...large, rowEnd: rowEnd.map((end) => Math.floor(end / 2)), rowStart: large.rowStart.map((start) => Math.floor(start / 2)), count: Math.floor(count / 2) };
  t.is(rowPrefetch([half]), null, 'rows that fit the caches');
  t.not(rowPrefetch([half, { ...half }]), null, 'the source\'s tables together are over the threshold');
  t.not(rowPrefetch([half, { ...half, delays: new Uint16Array(count) }, { ...half }]), null, 'tables with a delay per synapse are left out, the others asked for');
  t.is(rowPrefetch([half, { ...half, delays: new Uint16Array(count) }]), null, 'and do not count toward the threshold');
});

test.serial('Poisson counts drawn in C are those JavaScript draws, for small and large means, in any piece of the outputs', (t) => {
  const outputs = 3000;
  const keyHi = new Uint32Array(outputs);
  const keyLo = new Uint32Array(outputs);
  for (let a = 0; a < outputs; a++) ({ hi: keyHi[a], lo: keyLo[a] } = streamKey(11, 4, 2, a));
  // 0.1: a table of 1 000 thresholds whose last ones no word exceeds; 25: the largest mean drawn by table.
  for (const mean of [0, 0.001, 0.1, 2, 15, 25]) {
    const { thresholds, guide, largestCount } = new PoissonSampler(mean);
    t.true(largestCount <= 255, `mean ${mean}: counts fit a byte`);
    const draw = nativePoissonCounts(keyHi, keyLo, thresholds!, guide!, 32 - GUIDE_BITS)!;
    let total = 0;
    let draws = 0;
    for (const [step, from, to, offset] of [[0, 0, outputs, 0], [7, 1, 1025, 5], [123_456, 2047, 2999, 0], [2 ** 31, 0, 0, 0]]) {
      const mixed = mixCounter(step);
      const counts = new Uint8Array(offset + outputs);
      draw(mixed, from, to, counts, offset);
      const expected = new Uint8Array(offset + outputs);
      for (let a = from; a < to; a++) {
        const x = keyedBits(keyHi[a], keyLo[a], mixed);
        const k = guide![x >>> (32 - GUIDE_BITS)];
        expected[offset + a] = k >= 0 ? k : countFrom(thresholds!, x, ~k);
      }
      t.deepEqual(counts, expected, `mean ${mean}, step ${step}, outputs ${from}..${to}`);
      total += counts.reduce((sum, c) => sum + c, 0);
      draws += to - from;
    }
    // Counts, not only the same ones: their sum is the mean asked for times the draws, within four standard deviations.
    t.true(Math.abs(total - draws * mean) <= 4 * Math.sqrt(draws * mean), `mean ${mean}: ${total} counts in ${draws} draws`);
  }
});

test.serial('the C Poisson draw refuses keys, tables or pieces that would take it outside its arrays', (t) => {
  const { thresholds, guide } = new PoissonSampler(2);
  const keys = new Uint32Array(20);
  const native = (hi: Uint32Array, table: Int32Array, shift = 32 - GUIDE_BITS) => nativePoissonCounts(hi, keys, thresholds!, table, shift);
  t.throws(() => native(new Uint32Array(19), guide!), { instanceOf: TypeError, message: /wrong type or length/ }, 'keys of different lengths');
  t.is(nativePoissonCounts(keys.subarray(5), keys.subarray(5), thresholds!, guide!, 32 - GUIDE_BITS), null, 'fewer outputs stay in JavaScript');
  t.throws(() => native(keys, guide!, 21), { instanceOf: TypeError, message: /wrong type or length/ }, 'a guide of the wrong size');
  t.throws(() => native(keys, guide!.map((k) => (k === 8 ? 40 : k))), { instanceOf: TypeError, message: /wrong type or length/ }, 'a count beyond the table');
  const large = new PoissonSampler(300);
  t.is(large.thresholds, null, 'a mean of 300 is drawn by rejection, never by table');
  const draw = native(keys, guide!)!;
  t.throws(() => draw(1, 0, 21, new Uint8Array(21), 0), { instanceOf: RangeError, message: /outside/ });
  t.throws(() => draw(1, 0, 20, new Uint8Array(22), 3), { instanceOf: RangeError, message: /outside/ });
  t.throws(() => draw(1, 5, 4, new Uint8Array(22), 0), { instanceOf: RangeError, message: /outside/ });
});

test.serial('counts added into a ring in C make the additions of JavaScript, in output order, and the C loop refuses to leave its arrays', (t) => {
  const random = seededRandom(21);
  const size = 50;
  const slots = 4;
  const outputs = 40;
  // Targets repeat (two outputs into one target add in output order), weights of both signs, counts of 0 to 9.
  const targetOf = Uint32Array.from({ length: outputs }, () => Math.floor(random() * size));
  const counts = Uint8Array.from({ length: 3 * outputs }, () => (random() < 0.3 ? 0 : Math.floor(random() * 10)));
  for (const weight of [0.37, -1.9e-3]) {
    const native = Float64Array.from({ length: slots * size }, () => random() - 0.5);
    const javascript = native.slice();
    const add = nativeOneEachInputs(targetOf, weight, native, size)!;
    let expectedEvents = 0;
    for (const [offset, from, to, base] of [[0, 0, outputs, 0], [outputs, 3, 29, 2 * size], [2 * outputs, 29, outputs, 2 * size], [0, 7, 7, 3 * size]]) {
      const events = add(counts, offset, from, to, base);
      let sum = 0;
      for (let a = from; a < to; a++) {
        javascript[base + targetOf[a]] += counts[offset + a] * weight;
        sum += counts[offset + a];
      }
      t.is(events, sum);
      expectedEvents += sum;
    }
    t.true(expectedEvents > 100, `${expectedEvents} events`);
    t.deepEqual(native, javascript, `weight ${weight}`);
  }
  t.is(nativeOneEachInputs(targetOf.subarray(0, NATIVE_FROM - 1), 1, new Float64Array(size), size), null, 'fewer outputs stay in JavaScript');
  t.throws(() => nativeOneEachInputs(targetOf, 1, new Float64Array(size), size - 1), { instanceOf: RangeError, message: /target outside/ }, 'a target past the slot');
  t.throws(() => nativeOneEachInputs(targetOf, 1, new Float64Array(size - 1), size), { instanceOf: TypeError, message: /takes a Uint32Array/ }, 'a ring shorter than a slot');
  const add = nativeOneEachInputs(targetOf, 1, new Float64Array(slots * size), size)!;
  t.throws(() => add(counts, 0, 0, outputs + 1, 0), { instanceOf: RangeError, message: /outside/ }, 'past the outputs');
  t.throws(() => add(counts, 2 * outputs + 1, 0, outputs, 0), { instanceOf: RangeError, message: /outside/ }, 'past the counts');
  t.throws(() => add(counts, 0, 0, outputs, 3 * size + 1), { instanceOf: RangeError, message: /outside/ }, 'past the ring');
  t.throws(() => add(counts, 0, 5, 4, 0), { instanceOf: RangeError, message: /outside/ }, 'a piece that ends before it starts');
});

/**
 * Both neuron models, with and without generator current, clamped at V_min, refractory or not, and
 * Poisson drives of every kind: one input per neuron (One2One), shared inputs, and a mean drawn by
 * rejection.
 */
const driven = normalizeDescription({
  seed: 9,
  populations: [
    { name: 'E', model: 'LIF', size: 300, params: { V_min: -72, I_e: 150 } },
    { name: 'I', model: 'ExpLIF', size: 80 },
    { name: 'D', model: 'LIF', size: 40, params: { t_ref: 0 } },
    { name: 'X', model: 'ExpLIF', size: 1500, params: { t_ref: 0.5 } },
  ],
  generators: [
    { name: 'dc', model: 'DCGenerator', size: 1, params: { amplitude: 500, start: 20, stop: 200 } },
    { name: 'drive', model: 'PoissonGenerator', size: 300, params: { rate: 20_000 } },
    { name: 'shared', model: 'PoissonGenerator', size: 60, params: { rate: 2_000 } },
    { name: 'burst', model: 'PoissonGenerator', size: 20, params: { rate: 4_000_000 } },
  ],
  projections: [
    { name: 'drive-E', pre: 'drive', post: 'E', conn: { One2One: {} }, weight: 87.8, delay_step: 1 },
    { name: 'shared-E', pre: 'shared', post: 'E', conn: { FixedProb: { p: 0.2 } }, weight: 40, delay_step: 3 },
    { name: 'shared-I', pre: 'shared', post: 'I', conn: { FixedProb: { p: 0.2 } }, weight: 30, delay_step: 2 },
    { name: 'burst-I', pre: 'burst', post: 'I', conn: { FixedInDegree: { degree: 2, multi_conn: true } }, weight: 0.5, delay_step: 1 },
    { name: 'E-I', pre: 'E', post: 'I', conn: { FixedProb: { p: 0.1 } }, weight: 20, delay_step: 15 },
    { name: 'I-E', pre: 'I', post: 'E', conn: { FixedProb: { p: 0.1 } }, weight: -60, delay_step: 15 },
    { name: 'dc-D', pre: 'dc', post: 'D', conn: { All2All: {} }, weight: 1, delay_step: 1 },
    { name: 'dc-X', pre: 'dc', post: 'X', conn: { All2All: {} }, weight: 0.9, delay_step: 1 },
    { name: 'E-X', pre: 'E', post: 'X', conn: { FixedProb: { p: 0.05 } }, weight: 80, delay_step: 4 },
    { name: 'D-E', pre: 'D', post: 'E', conn: { FixedProb: { p: 0.2 } }, weight: -3, delay_step: 2 },
    { name: 'E-D', pre: 'E', post: 'D', conn: { FixedProb: { p: 0.1 } }, weight: 0.7, delay_step: 3 },
  ],
  monitors: [
    { target: 'E', attr: 'spike' }, { target: 'D', attr: 'spike' }, { target: 'X', attr: 'spike' },
    { target: 'E', attr: 'v', slice: [0, 30] }, { target: 'I', attr: 'v', slice: [0, 20] }, { target: 'D', attr: 'v' }, { target: 'X', attr: 'i_syn_ex', slice: [0, 50] },
  ],
});

for (const workers of [1, 2]) {
  test.serial(`both neuron models with Poisson drives and generator current: the same spikes and traces with the C kernels as with JavaScript, on ${workers} worker(s)`, async (t) => {
    const run = () => recordedRun(driven, 3000, workers);
    const native = await run();
    const javascript = await withJavaScript(run);
    t.true(native.stats.spikes > 200, `${native.stats.spikes} spikes`);
    t.true(native.stats.generator_events > 1_000_000, `${native.stats.generator_events} generator events`);
    t.is(native.stats.spikes_sha256, javascript.stats.spikes_sha256);
    t.is(native.stats.generator_events, javascript.stats.generator_events);
    for (const key of ['E.spike', 'D.spike', 'X.spike'] as const) {
      const [a, b] = [native.data[key] as SpikeMatrix, javascript.data[key] as SpikeMatrix];
      t.true(a.steps.length > 0, `${key}: no spikes`);
      t.deepEqual([a.steps, a.neurons], [b.steps, b.neurons], key);
    }
    for (const key of ['E.v', 'I.v', 'D.v', 'X.i_syn_ex'] as const) t.deepEqual((native.data[key] as TraceMatrix).data, (javascript.data[key] as TraceMatrix).data, key);
    // V_min held: the clamped voltage is reached, and never passed.
    const eV = (native.data['E.v'] as TraceMatrix).data;
    t.true(eV.includes(-72) && Math.min(...eV) === -72, `E.v down to ${Math.min(...eV)}`);
  });
}

test.serial('the C neuron update refuses arrays of the wrong length, and a spike list without room for every neuron', (t) => {
  const size = NATIVE_FROM;
  const arrays = {
    v: new Float64Array(size).fill(20), iEx: null, iIn: null, refractory: new Int32Array(size), ringPositive: new Float64Array(3 * size),
    ringNegative: null, iDc: null, ringCurrent: null,
  };
  const counts = { gidStart: 100, refractorySteps: 20, positiveSlots: 3, negativeSlots: 3, currentSlots: 0 };
  const constants = [0.99, 0.04, 0, 15, 0, -Infinity, 0];
  t.throws(() => nativeNeuronStep('LIF', { ...arrays, refractory: new Int32Array(size - 1) }, constants, counts), { instanceOf: TypeError, message: /wrong type or length/ });
  t.throws(() => nativeNeuronStep('LIF', arrays, constants, { ...counts, positiveSlots: 4 }), { instanceOf: TypeError, message: /wrong type or length/ }, 'a ring shorter than its slots');
  t.throws(() => nativeNeuronStep('ExpLIF', arrays, [...constants, 0, 0, 0], counts), { instanceOf: TypeError, message: /wrong type or length/ }, 'ExpLIF without its currents');
  const exp = { ...arrays, iEx: new Float64Array(size), iIn: new Float64Array(size), ringPositive: new Float32Array(3 * size), ringNegative: new Float64Array(3 * size) };
  t.throws(() => nativeNeuronStep('ExpLIF', exp, [...constants, 0, 0, 0], counts), { instanceOf: TypeError, message: /wrong type or length/ }, 'rings of two precisions');
  t.notThrows(() => nativeNeuronStep('ExpLIF', { ...exp, ringNegative: new Float32Array(3 * size) }, [...constants, 0, 0, 0], counts));
  // A smaller population stays in JavaScript, where a step costs less than a call into the addon.
  const smaller = { ...arrays, v: arrays.v.subarray(1), refractory: arrays.refractory.subarray(1), ringPositive: arrays.ringPositive.subarray(3) };
  t.is(nativeNeuronStep('LIF', smaller, constants, counts), null);
  const step = nativeNeuronStep('LIF', arrays, constants, counts)!;
  t.throws(() => step(0, emptyChunkSpikes(size - 1)), { instanceOf: RangeError, message: /no room/ });
  // Every neuron starts above threshold (15 mV above E_L): all fire at step 4, in order.
  const out = emptyChunkSpikes(size);
  step(4, out);
  t.is(out.count, size);
  t.deepEqual([...out.gids], Array.from({ length: size }, (_, i) => 100 + i));
  t.deepEqual([...out.steps], Array(size).fill(4));
  t.deepEqual([...arrays.refractory], Array(size).fill(20));
});

test.serial('an addon built from older sources, without every kernel, is set aside with a warning, and the JavaScript kernels run', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-stale-'));
  const stale = join(dir, 'kernels.cjs');
  // What the addon offered before the Poisson counts and neuron updates were added.
  writeFileSync(stale, 'module.exports = { rows() {}, deliver() {} };');
  const warnings: string[] = [];
  const warn = (warning: Error) => warnings.push(warning.message);
  process.on('warning', warn);
  try {
    useNativeKernels(stale);
    t.is(nativeKernels(), null);
    t.is(nativeKernelsPath(), null, 'worker threads are told to use JavaScript too');
  } finally {
    useNativeKernels(addon);
    rmSync(dir, { recursive: true, force: true });
  }
  return new Promise<void>((resolve) => setImmediate(() => {
    process.off('warning', warn);
    t.is(warnings.length, 1);
    t.regex(warnings[0], /kernels\.cjs did not load \(it lacks tableRows, arrivals, arrivalSource, arrivalSpike, arrive, sourceRows, prefetchRows, poissonDraws, drawCounts, oneEachInputs, addCounts, neurons, neuronStep, releaseFreeMemory: it was built from older sources\); the JavaScript kernels run instead, with the same results\. `npm run install` builds it again\./);
    t.not(nativeKernels(), null, 'the built addon is back');
    resolve();
  }));
});
