import test from 'ava';
import { planPartitions } from '../coordinator/planPartitions.ts';
import { buildProjection } from '../src/engine/connectivity/buildProjection.ts';
import { rowDelivery, weightSigns } from '../src/engine/connectivity/delivery.ts';
import type { SynapseTable } from '../src/engine/connectivity/synapseTable.ts';
import type { PartitionPlan } from '../src/engine/layout.ts';
import { buildSynapseTables } from '../src/engine/partitionEngine.ts';
import { nativeKernels } from '../src/engine/nativeKernels.ts';
import { normalizeDescription } from '../src/ir/normalize.ts';
import { population, withJavaScript } from './helpers.ts';

// Switches between the kernels (`withJavaScript`): one test at a time.
const weight = (mean: number) => ({ Normal: { mean, sd: Math.abs(mean) / 10 } });
const delay = { Uniform: { low: 1, high: 20 } };

/** `a` projects four times, three of them with per-synapse weights and delays (one inhibitory); `c` once. */
const description = normalizeDescription({
  seed: 11,
  populations: [population('a', 'LIF', 300), population('b', 'LIF', 200), population('c', 'LIF', 100)],
  projections: [
    { name: 'ab', pre: 'a', post: 'b', conn: { FixedProb: { p: 0.1 } }, weight: weight(2), delay_step: delay },
    { name: 'ca', pre: 'c', post: 'a', conn: { FixedProb: { p: 0.1 } }, weight: weight(1), delay_step: delay },
    { name: 'ac', pre: 'a', post: 'c', conn: { FixedProb: { p: 0.2 } }, weight: weight(-3), delay_step: delay },
    { name: 'ab_uniform', pre: 'a', post: 'b', conn: { FixedProb: { p: 0.05 } }, weight: 0.5, delay_step: 3 },
    { name: 'ab_again', pre: 'a', post: 'b', conn: { FixedTotalNum: { num: 4000 } }, weight: weight(1), delay_step: delay },
  ],
});

/** Each projection's target population, by index. */
const posts = description.projections.map((p) => description.populations.findIndex((q) => q.name === p.post));

/** The partition's tables as each projection builds its own, before any share their arrays. */
function builtApart(plan: PartitionPlan): SynapseTable[] {
  return description.projections.map((_, index) => buildProjection(description, index, plan.slices[posts[index]]));
}

/** Every (source, target, weight, delay) of a table, row by row. */
function synapses(table: SynapseTable): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < table.nSources; s++) {
    for (let k = table.rowStart[s]; k < table.rowEnd[s]; k++) out.push([s, table.targets[k], table.weights![k], table.delays![k]]);
  }
  return out;
}

for (const workers of [1, 2]) {
  test.serial(`projections from one source population share their arrays, each source's rows of all of them together, with the same synapses (${workers} worker${workers > 1 ? 's' : ''})`, (t) => {
    const plan = planPartitions(description, workers)[workers - 1];
    const apart = builtApart(plan);
    const tables = buildSynapseTables(description, plan);
    const [ab, ca, ac, uniform, again] = tables;

    // The three of `a` with per-synapse weights and delays, in description order.
    t.is(ab.targets, ac.targets);
    t.is(ab.targets, again.targets);
    t.is(ab.weights, again.weights);
    t.is(ab.delays, again.delays);
    t.is(ab.targets.length, ab.count + ac.count + again.count);
    for (let s = 0; s < ab.nSources; s++) {
      t.is(ab.rowEnd[s], ac.rowStart[s]);
      t.is(ac.rowEnd[s], again.rowStart[s]);
      if (s > 0) t.is(again.rowEnd[s - 1], ab.rowStart[s]);
    }
    // One weight for all, or alone from its source: arrays of its own, as built.
    for (const own of [uniform, ca]) {
      t.not(own.targets, ab.targets);
      t.is(own.targets.length, own.count);
      t.deepEqual([...own.rowEnd], [...own.rowStart.subarray(1)]);
    }

    tables.forEach((table, index) => {
      t.is(table.count, apart[index].count);
      t.is(table.maxDelay, apart[index].maxDelay);
      if (table.weights) t.deepEqual(synapses(table), synapses(apart[index]), `projection ${index}`);
    });
    t.true(ab.count > 1000 && ac.count > 500 && again.count > 1000, `${ab.count}, ${ac.count}, ${again.count} synapses`);
    // Each table's weights keep their own sign, though the arrays hold both.
    t.deepEqual(tables.map(weightSigns), ['positive', 'positive', 'negative', 'positive', 'positive']);
  });
}

test.serial('delivery through shared arrays adds the same numbers as through separate ones, in C and in JavaScript', async (t) => {
  const plan = planPartitions(description, 1)[0];
  const shared = buildSynapseTables(description, plan);
  const apart = builtApart(plan);
  const deliverAll = (tables: SynapseTable[]) => {
    const rings = tables.map((table, index) => {
      const size = plan.slices[posts[index]].stop;
      const ring = new Float64Array(21 * size);
      const deliver = rowDelivery(table, { size, ringPositive: ring, ringNegative: ring, ringCurrent: ring, ringSlots: { positive: 21, negative: 21, current: 21 } }, 'synaptic', 'positive');
      for (let n = 0; n < 3000; n++) deliver((n * 7919) % table.nSources, 2 * n + (n % 3), n % 4 === 0 ? 2 : 1);
      return ring;
    });
    return rings;
  };
  const sameRings = (a: Float64Array[], b: Float64Array[], label: string) => a.forEach((ring, r) => {
    const differs = ring.findIndex((x, i) => !Object.is(x, b[r][i]));
    t.is(differs, -1, `${label}, projection ${r}: slot × target ${differs}`);
  });
  const reference = await withJavaScript(() => deliverAll(apart));
  t.not(nativeKernels(), null, 'the addon is built');
  sameRings(deliverAll(shared), reference, 'C');
  await withJavaScript(() => sameRings(deliverAll(shared), reference, 'JavaScript'));
  t.true(reference[0].some((x) => x > 0) && reference[2].some((x) => x < 0));
});

test.serial('building reports the copying into shared arrays as part of its progress, reaching 1 only once every group is copied', (t) => {
  const plan = planPartitions(description, 1)[0];
  const fractions: number[] = [];
  buildSynapseTables(description, plan, (fraction) => fractions.push(fraction));
  // A report per projection, then one for `a`'s group of three (`c`'s one projection is not copied).
  t.is(fractions.length, description.projections.length + 1);
  t.deepEqual(fractions, [...fractions].sort((a, b) => a - b));
  // Expected synapses (one more each): ab 6 001, ca 3 001, ac 6 001, ab_uniform 3 001, ab_again
  // 4 001; copying a synapse counts 0.12 of building it, so the group's 16 003 count 1 920.36.
  const built = 22_005 / (22_005 + 1_920.36);
  t.true(Math.abs(fractions[description.projections.length - 1] - built) < 1e-9, `after the last projection: ${fractions.at(-2)}`);
  t.is(fractions.at(-1), 1);
});
