import test from 'ava';
import { simulate, population } from './helpers.ts';
import type { TraceMatrix } from '../src/index.ts';
import { GUIDE_BITS, PoissonSampler, countFrom } from '../src/random/distributions.ts';
import { Purpose, streamKey } from '../src/random/counter.ts';

/** Poisson counts per step reach a LIF population as jumps of 1 mV, recorded as V with tau_m ≈ ∞. */
function counts(rate: number, size: number, tMs: number) {
  const integrator = { E_L: 0, C_m: 1, tau_m: 1e12, t_ref: 0, V_th: 1e12, V_reset: 0 };
  const { mon, stats } = simulate({
    seed: 7,
    populations: [population('n', 'LIF', size, integrator)],
    generators: [{ name: 'p', model: 'PoissonGenerator', size, params: { rate } }],
    projections: [{ name: 's', pre: 'p', post: 'n', conn: { One2One: {} }, weight: 1, delay_step: 1 }],
    monitors: [{ target: 'n', attr: 'v' }],
  }, tMs);
  return { v: mon['n.v'] as TraceMatrix, stats };
}

test('each Poisson output fires at the requested rate, with Poisson variance across outputs', (t) => {
  const size = 400;
  const tMs = 1000;
  const rate = 50;
  const { v, stats } = counts(rate, size, tMs);
  const totals = Array.from(v.row(v.rows - 1), (x) => Math.round(x));
  const mean = totals.reduce((a, b) => a + b, 0) / size;
  const variance = totals.reduce((a, b) => a + (b - mean) ** 2, 0) / (size - 1);
  const expected = (rate * (tMs - 0.1)) / 1000; // the last step's spike lands after the run
  t.true(Math.abs(mean - expected) < 4 * Math.sqrt(expected / size), `mean ${mean} vs ${expected}`);
  t.true(Math.abs(variance / mean - 1) < 0.2, `Fano factor ${variance / mean}`);
  // Events count every emitted spike: those that landed, plus those of the last step, still in flight.
  const sampler = new PoissonSampler((rate * 0.1) / 1000);
  let inFlight = 0;
  for (let j = 0; j < size; j++) {
    const { hi, lo } = streamKey(7, Purpose.poisson, 0, j);
    inFlight += sampler.sample(hi, lo, v.rows - 1);
  }
  t.is(stats.generator_events, totals.reduce((a, b) => a + b, 0) + inFlight);
});

test('the engine draws exactly the counts PoissonSampler defines for (generator, output, step)', (t) => {
  const size = 30;
  const { v } = counts(20000, size, 5);
  const sampler = new PoissonSampler(2);
  for (let j = 0; j < size; j++) {
    const { hi, lo } = streamKey(7, Purpose.poisson, 0, j);
    for (let step = 1; step < v.rows; step++) {
      // A count drawn at step s arrives (delay 1) at step s + 1.
      t.is(Math.round(v.get(step, j) - v.get(step - 1, j)) + 0, sampler.sample(hi, lo, step - 1));
    }
  }
});

test('a Poisson rate above 1/dt gives several spikes per step with the right mean', (t) => {
  const rate = 25000; // 2.5 spikes per 0.1 ms step
  const { v } = counts(rate, 50, 20);
  const perStep = Array.from(v.row(v.rows - 1)).reduce((a, b) => a + b, 0) / (50 * (v.rows - 1));
  t.true(Math.abs(perStep - 2.5) < 0.1, `mean per step ${perStep}`);
});

test('Poisson outputs are independent of each other and over time', (t) => {
  const sampler = new PoissonSampler(0.5);
  const n = 20000;
  const draws = (output: number) => {
    const { hi, lo } = streamKey(3, Purpose.poisson, 0, output);
    return Float64Array.from({ length: n }, (_, step) => sampler.sample(hi, lo, step));
  };
  const a = draws(0);
  const b = draws(1);
  const correlation = (x: Float64Array, y: Float64Array) => {
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const my = y.reduce((s, v) => s + v, 0) / y.length;
    let sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) ** 2;
      syy += (y[i] - my) ** 2;
    }
    return sxy / Math.sqrt(sxx * syy);
  };
  const limit = 4 / Math.sqrt(n);
  t.true(Math.abs(correlation(a, b)) < limit, 'between neighbouring outputs');
  t.true(Math.abs(correlation(a.subarray(1), a.subarray(0, n - 1))) < limit, 'lag-one autocorrelation');
});

test('Poisson draws for large means (PTRS) have the right mean and variance', (t) => {
  for (const mean of [40, 1000]) {
    const sampler = new PoissonSampler(mean);
    const { hi, lo } = streamKey(11, Purpose.poisson, 2, 5);
    const xs = Array.from({ length: 20000 }, (_, i) => sampler.sample(hi, lo, i));
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
    t.true(Math.abs(m - mean) < 4 * Math.sqrt(mean / xs.length), `mean ${m} for ${mean}`);
    t.true(Math.abs(v / mean - 1) < 0.06, `variance ${v} for ${mean}`);
  }
});

test('small-mean Poisson inversion matches the cumulative distribution exactly in frequency', (t) => {
  const mean = 2;
  const sampler = new PoissonSampler(mean);
  const { hi, lo } = streamKey(5, Purpose.poisson, 1, 1);
  const n = 200000;
  const histogram = new Array(12).fill(0);
  for (let i = 0; i < n; i++) histogram[Math.min(11, sampler.sample(hi, lo, i))]++;
  let chi2 = 0;
  let p = Math.exp(-mean);
  for (let k = 0; k < 11; k++) {
    chi2 += (histogram[k] - n * p) ** 2 / (n * p);
    p *= mean / (k + 1);
  }
  t.true(chi2 < 35, `chi² ${chi2} with 10 degrees of freedom`);
});

test('the guide table gives the count of a full search for every x at the edges of buckets and thresholds', (t) => {
  const bucket = 2 ** (32 - GUIDE_BITS);
  for (const mean of [0, 0.002, 0.5, 2, 7.5, 30]) {
    const sampler = new PoissonSampler(mean);
    const thresholds = sampler.thresholds!;
    const guide = sampler.guide!;
    const probes = new Set<number>();
    for (let m = 0; m < guide.length; m++) probes.add(m * bucket).add((m + 1) * bucket - 1);
    for (const edge of thresholds) for (const dx of [-1, 0, 1]) if (edge + dx >= 0 && edge + dx < 2 ** 32) probes.add(edge + dx);
    let wrong = 0;
    let exactBuckets = 0;
    for (const x of probes) {
      const g = guide[Math.floor(x / bucket)];
      if ((g >= 0 ? g : countFrom(thresholds, x, ~g)) !== countFrom(thresholds, x, 0)) wrong++;
    }
    for (const g of guide) if (g >= 0) exactBuckets++;
    t.is(wrong, 0, `mean ${mean}: ${wrong} of ${probes.size} probes differ`);
    if (mean === 2) t.true(exactBuckets > 0.99 * guide.length, `mean 2: only ${exactBuckets} of ${guide.length} buckets resolved by the guide`);
  }
});
