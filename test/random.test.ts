import test from 'ava';
import { Purpose, bits32, streamKey, uniform } from '../src/random/counter.ts';
import { standardNormal } from '../src/random/distributions.ts';

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
