import test from 'ava';
import { Purpose, bits32, streamKey, uniform } from '../src/random/counter.ts';
import { standardNormal } from '../src/random/ziggurat.ts';
import { normalCdf } from '../src/random/distributions.ts';

test('uniform numbers of one stream are uniform on (0, 1) (χ² over 64 bins)', (t) => {
  const { hi, lo } = streamKey(1, Purpose.connect, 3, 4);
  const n = 640000;
  const bins = new Array(64).fill(0);
  let inside = 0;
  for (let c = 0; c < n; c++) {
    const u = uniform(hi, lo, c);
    if (u > 0 && u < 1) inside++;
    bins[Math.floor(u * 64)]++;
  }
  t.is(inside, n);
  const chi2 = bins.reduce((s, b) => s + (b - n / 64) ** 2 / (n / 64), 0);
  t.true(chi2 < 110, `χ² ${chi2} with 63 degrees of freedom`);
});

test('streams differ by seed, purpose and each id', (t) => {
  const first = (seed: number, purpose: number, a: number, b: number) => {
    const { hi, lo } = streamKey(seed, purpose, a, b);
    return Array.from({ length: 4 }, (_, c) => bits32(hi, lo, c)).join(',');
  };
  const reference = first(1, Purpose.poisson, 2, 3);
  t.is(first(1, Purpose.poisson, 2, 3), reference, 'a pure function of its key');
  t.not(first(2, Purpose.poisson, 2, 3), reference);
  t.not(first(1, Purpose.init, 2, 3), reference);
  t.not(first(1, Purpose.poisson, 3, 3), reference);
  t.not(first(1, Purpose.poisson, 2, 4), reference);
});

test('no two of 200 000 neuron streams share a key', (t) => {
  const keys = new Set<string>();
  for (let j = 0; j < 200000; j++) {
    const { hi, lo } = streamKey(9, Purpose.poisson, 0, j);
    keys.add(`${hi}:${lo}`);
  }
  t.is(keys.size, 200000);
});

test('standard normals have mean 0, variance 1 and normal tails', (t) => {
  const { hi, lo } = streamKey(4, Purpose.weight, 0, 0);
  const n = 200000;
  let sum = 0, squares = 0, beyond2 = 0;
  for (let c = 0; c < n; c++) {
    const x = standardNormal(hi, lo, c);
    sum += x;
    squares += x * x;
    if (Math.abs(x) > 2) beyond2++;
  }
  const mean = sum / n;
  t.true(Math.abs(mean) < 0.01, `mean ${mean}`);
  t.true(Math.abs(squares / n - 1) < 0.015, `variance ${squares / n}`);
  t.true(Math.abs(beyond2 / n - 0.0455) < 0.002, `P(|x| > 2) ${beyond2 / n}`);
});

test('standard normals follow the normal distribution in 34 bins and in both tails (χ², 1 M draws)', (t) => {
  const { hi, lo } = streamKey(9, Purpose.delay, 3, 17);
  const n = 1_000_000;
  // Bins of width 0.25 over [−4, 4], and the two tails.
  const edges = Array.from({ length: 33 }, (_, i) => -4 + i * 0.25);
  const counts = new Array(34).fill(0);
  for (let c = 0; c < n; c++) {
    const x = standardNormal(hi, lo, c);
    counts[x < -4 ? 0 : x >= 4 ? 33 : 1 + Math.floor((x + 4) / 0.25)]++;
  }
  // Bin probabilities by Simpson's rule on the density; each tail is P(x > 4) = 3.1671e−5.
  const density = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  const integral = (a: number, b: number) => {
    const m = 64;
    let s = density(a) + density(b);
    for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * density(a + ((b - a) * i) / m);
    return (s * (b - a)) / (3 * m);
  };
  const tail = 3.167124183311998e-5;
  const expected = [tail, ...edges.slice(0, -1).map((a, i) => integral(a, edges[i + 1])), tail].map((p) => p * n);
  const chi2 = counts.reduce((sum, observed, i) => sum + (observed - expected[i]) ** 2 / expected[i], 0);
  // 33 degrees of freedom: the 99.9th percentile is 63.9.
  t.true(chi2 < 63.9, `χ² ${chi2.toFixed(1)}; counts ${counts.join(' ')}`);
});

test('normalCdf agrees with Φ to within 2·10⁻⁷, and is 0 and 1 at the ends', (t) => {
  // Φ(z) from tables (scipy.stats.norm.cdf).
  const table: Array<[number, number]> = [[0, 0.5], [1, 0.8413447460685429], [-1, 0.15865525393145707], [2, 0.9772498680518208], [-3, 0.0013498980316301035], [5, 0.9999997133484281]];
  for (const [z, phi] of table) t.true(Math.abs(normalCdf(z) - phi) < 2e-7, `Φ(${z}) = ${normalCdf(z)}, not ${phi}`);
  t.is(normalCdf(-Infinity), 0);
  t.is(normalCdf(Infinity), 1);
});
