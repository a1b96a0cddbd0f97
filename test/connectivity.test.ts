import test from 'ava';
import { normalizeDescription } from '../src/ir/normalize.ts';
import { buildProjection } from '../src/engine/connectivity/buildProjection.ts';
import { fixedProbBlock } from '../src/engine/connectivity/rules.ts';
import type { SynapseTable } from '../src/engine/connectivity/synapseTable.ts';
import { population } from './helpers.ts';

function describe(conn: unknown, nPre: number, nPost: number, extra: Record<string, unknown> = {}) {
  const samePopulation = nPost === 0;
  return normalizeDescription({
    seed: 42,
    populations: samePopulation ? [population('a', 'LIF', nPre)] : [population('a', 'LIF', nPre), population('b', 'LIF', nPost)],
    projections: [{ name: 's', pre: 'a', post: samePopulation ? 'a' : 'b', conn, ...extra }],
  });
}

/** All (source, target, weight, delay) of a table, targets made global again. */
function synapses(table: SynapseTable, start = 0): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let s = 0; s < table.nSources; s++) {
    for (let k = table.rowStart[s]; k < table.rowEnd[s]; k++) {
      out.push([s, table.targets[k] + start, table.weights ? table.weights[k] : table.weight, table.delays ? table.delays[k] : table.delay]);
    }
  }
  return out;
}

function whole(description: ReturnType<typeof describe>) {
  const post = description.populations.find((p) => p.name === description.projections[0].post)!;
  return buildProjection(description, 0, { start: 0, stop: post.size });
}

function degrees(list: Array<[number, number, number, number]>, index: 0 | 1, n: number): number[] {
  const d = new Array(n).fill(0);
  for (const synapse of list) d[synapse[index]]++;
  return d;
}

test('One2One connects i to i', (t) => {
  t.deepEqual(synapses(whole(describe({ One2One: {} }, 5, 5))).map((s) => [s[0], s[1]]), [[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
});

test('All2All connects every pair, leaving out self-connections when asked', (t) => {
  t.is(whole(describe({ All2All: {} }, 7, 9)).count, 63);
  const noSelf = synapses(whole(describe({ All2All: { allow_self: false } }, 6, 0)));
  t.is(noSelf.length, 30);
  t.false(noSelf.some((s) => s[0] === s[1]));
});

test('FixedProb makes p·N·M connections within sampling error, with binomial in-degrees', (t) => {
  const p = 0.1;
  const list = synapses(whole(describe({ FixedProb: { p } }, 1000, 800)));
  const expected = p * 1000 * 800;
  t.true(Math.abs(list.length - expected) < 4 * Math.sqrt(expected * (1 - p)), `${list.length} vs ${expected}`);
  const inDegrees = degrees(list, 1, 800);
  const mean = inDegrees.reduce((a, b) => a + b, 0) / 800;
  const variance = inDegrees.reduce((a, b) => a + (b - mean) ** 2, 0) / 799;
  t.true(Math.abs(variance / (1000 * p * (1 - p)) - 1) < 0.2, `in-degree variance ${variance}`);
  const pairs = new Set(list.map((s) => s[0] * 1000 + s[1]));
  t.is(pairs.size, list.length, 'no multapses');
});

test('FixedProb draws each row in blocks of targets that do not depend on the partition: the same rows, in the same order, from any split', (t) => {
  // 0.2 → blocks of 256 targets: 2 000 targets make eight, and the cuts below fall inside them.
  t.is(fixedProbBlock(0.2), 256);
  t.is(fixedProbBlock(0.001), 16384);
  const description = describe({ FixedProb: { p: 0.2 } }, 300, 2000, { weight: { Normal: { mean: 1, sd: 0.2 } }, delay_step: { Uniform: { low: 1, high: 20 } } });
  const all = synapses(whole(description));
  const cuts = [0, 100, 101, 700, 1999, 2000];
  const parts = cuts.slice(1).map((stop, k) => synapses(buildProjection(description, 0, { start: cuts[k], stop }), cuts[k]));
  // Row by row, a partition's synapses are the whole network's that land on its targets, in order.
  for (const [k, part] of parts.entries()) {
    t.deepEqual(part, all.filter((s) => s[1] >= cuts[k] && s[1] < cuts[k + 1]), `targets [${cuts[k]}, ${cuts[k + 1]})`);
  }
  // Each row's targets ascend; out-degrees are binomial(2 000, 0.2): mean 400, variance 320.
  t.true(all.every((s, k) => k === 0 || s[0] !== all[k - 1][0] || s[1] > all[k - 1][1]));
  const out = degrees(all, 0, 300);
  const mean = out.reduce((a, b) => a + b, 0) / 300;
  const variance = out.reduce((a, b) => a + (b - mean) ** 2, 0) / 299;
  t.true(Math.abs(mean - 400) < 4 * Math.sqrt(320 / 300), `mean out-degree ${mean}`);
  t.true(Math.abs(variance / 320 - 1) < 0.35, `out-degree variance ${variance}`);
  // Neighbouring blocks of a row are drawn from different streams: their counts do not correlate.
  const counts = (block: number) => Array.from({ length: 300 }, (_, i) => all.filter((s) => s[0] === i && Math.floor(s[1] / 256) === block).length);
  const [a, b] = [counts(2), counts(3)];
  const [ma, mb] = [a.reduce((x, y) => x + y) / 300, b.reduce((x, y) => x + y) / 300];
  const r = a.reduce((sum, x, i) => sum + (x - ma) * (b[i] - mb), 0) / Math.sqrt(a.reduce((sum, x) => sum + (x - ma) ** 2, 0) * b.reduce((sum, y) => sum + (y - mb) ** 2, 0));
  t.true(Math.abs(r) < 4 / Math.sqrt(300), `correlation of neighbouring blocks ${r}`);
});

test('sparse FixedProb (blocks of 16 384 targets) makes p·N·M connections within sampling error', (t) => {
  const p = 0.001;
  const table = whole(describe({ FixedProb: { p } }, 400, 50000));
  const expected = p * 400 * 50000;
  t.true(Math.abs(table.count - expected) < 4 * Math.sqrt(expected), `${table.count} vs ${expected}`);
});

test('FixedProb without self-connections never connects i to i', (t) => {
  const list = synapses(whole(describe({ FixedProb: { p: 0.5, allow_self: false } }, 200, 0)));
  t.false(list.some((s) => s[0] === s[1]));
  t.true(Math.abs(list.length - 0.5 * 200 * 199) < 4 * Math.sqrt(200 * 199 * 0.25));
});

test('FixedInDegree gives every target exactly k inputs; without multi_conn they are distinct', (t) => {
  for (const multi_conn of [true, false]) {
    const list = synapses(whole(describe({ FixedInDegree: { degree: 30, multi_conn } }, 50, 40)));
    t.deepEqual(degrees(list, 1, 40), new Array(40).fill(30));
    if (!multi_conn) t.is(new Set(list.map((s) => s[0] * 40 + s[1])).size, list.length);
  }
});

test('FixedOutDegree gives every source exactly k outputs; without multi_conn they are distinct', (t) => {
  for (const multi_conn of [true, false]) {
    const list = synapses(whole(describe({ FixedOutDegree: { degree: 25, multi_conn } }, 60, 30)));
    t.deepEqual(degrees(list, 0, 60), new Array(60).fill(25));
    if (!multi_conn) t.is(new Set(list.map((s) => s[0] * 30 + s[1])).size, list.length);
  }
});

test('FixedTotalNum makes exactly num connections; without multi_conn all pairs differ', (t) => {
  t.is(whole(describe({ FixedTotalNum: { num: 5000 } }, 100, 100)).count, 5000);
  const list = synapses(whole(describe({ FixedTotalNum: { num: 80, multi_conn: false } }, 10, 10)));
  t.is(list.length, 80);
  t.is(new Set(list.map((s) => s[0] * 10 + s[1])).size, 80);
});

test('FixedTotalNum with multapses spreads its connections uniformly over sources and targets (χ²)', (t) => {
  const [nPre, nPost, num] = [300, 400, 200_000];
  const list = synapses(whole(describe({ FixedTotalNum: { num } }, nPre, nPost)));
  t.is(list.length, num);
  // Each degree is binomial(num, 1/n); their χ² against the mean has n − 1 degrees of freedom.
  for (const [index, n] of [[0, nPre], [1, nPost]] as const) {
    const expected = num / n;
    const chi2 = degrees(list, index, n).reduce((sum, d) => sum + (d - expected) ** 2 / expected, 0);
    const [mean, sd] = [n - 1, Math.sqrt(2 * (n - 1))];
    t.true(Math.abs(chi2 - mean) < 4 * sd, `${index === 0 ? 'out' : 'in'}-degrees: χ² ${chi2.toFixed(0)}, expected ${mean} ± ${sd.toFixed(0)}`);
  }
});

test('CustomConn makes exactly the listed pairs, with per-connection weights in list order', (t) => {
  const list = synapses(whole(describe({ CustomConn: { pre: [2, 0, 2], post: [1, 1, 0] } }, 3, 2, { weight: [5, 6, 7] })));
  t.deepEqual(list.map((s) => [s[0], s[1], s[2]]).sort(), [[0, 1, 6], [2, 0, 7], [2, 1, 5]]);
});

test('weights and delays drawn from distributions follow them', (t) => {
  const table = whole(describe({ FixedInDegree: { degree: 100 } }, 100, 100, {
    weight: { Normal: { mean: 2, sd: 0.5 } },
    delay_step: { Uniform: { low: 1, high: 10 } },
  }));
  const weights = Array.from(table.weights!);
  const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
  const sd = Math.sqrt(weights.reduce((a, b) => a + (b - mean) ** 2, 0) / (weights.length - 1));
  t.true(Math.abs(mean - 2) < 0.02 && Math.abs(sd - 0.5) < 0.02, `mean ${mean}, sd ${sd}`);
  const delays = Array.from(table.delays!);
  t.is(Math.min(...delays), 1);
  t.is(Math.max(...delays), 10);
  const truncated = whole(describe({ FixedInDegree: { degree: 100 } }, 100, 100, { weight: { Normal: { mean: 0, sd: 1, min: 0, max: 1 } } }));
  t.true(Array.from(truncated.weights!).every((w) => w >= 0 && w <= 1), 'out-of-range draws are redrawn');
});

test('a partition builds exactly the synapses of its targets that the whole network has, for every rule', (t) => {
  const rules = [
    { FixedProb: { p: 0.2 } },
    { FixedInDegree: { degree: 7, multi_conn: false } },
    { FixedOutDegree: { degree: 9 } },
    { FixedTotalNum: { num: 700 } },
    { All2All: {} },
  ];
  for (const conn of rules) {
    const description = describe(conn, 40, 37, { weight: { Uniform: { low: 1, high: 2 } }, delay_step: { Normal: { mean: 5, sd: 2, min: 1, max: 9 } } });
    const all = synapses(whole(description));
    const parts = [[0, 11], [11, 12], [12, 37]].flatMap(([start, stop]) => synapses(buildProjection(description, 0, { start, stop }), start));
    const key = (s: number[]) => s.join(',');
    t.deepEqual(parts.map(key).sort(), all.map(key).sort(), Object.keys(conn)[0]);
  }
});
