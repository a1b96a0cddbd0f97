import test from 'ava';
import { binomial } from '../src/random/binomial.ts';
import { logFactorial } from '../src/random/distributions.ts';
import { Purpose, streamKey } from '../src/random/counter.ts';

/** χ² of 100 000 counts against the exact probabilities, in bins of ≥ 20 expected. */
function chi2(n: number, p: number): { chi2: number; dof: number } {
  const draws = 100_000;
  const histogram = new Map<number, number>();
  for (let i = 0; i < draws; i++) {
    const { hi, lo } = streamKey(11, Purpose.split, 0, i);
    const k = binomial(n, p, hi, lo);
    histogram.set(k, (histogram.get(k) ?? 0) + 1);
  }
  const logPmf = (k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
  let sum = 0;
  let dof = -1;
  let expected = 0;
  let observed = 0;
  for (let k = 0; k <= n; k++) {
    expected += draws * Math.exp(logPmf(k));
    observed += histogram.get(k) ?? 0;
    if (expected >= 20 || k === n) {
      sum += (observed - expected) ** 2 / expected;
      dof++;
      expected = 0;
      observed = 0;
    }
    if (k > n * p + 12 * Math.sqrt(n * p * (1 - p)) + 20) break;
  }
  return { chi2: sum, dof };
}

test('binomial counts follow the exact distribution, by inversion and by rejection (χ²)', (t) => {
  for (const [n, p] of [[20, 0.3], [200, 0.02], [1000, 0.5], [1_000_000, 0.37], [5000, 0.9]]) {
    const { chi2: value, dof } = chi2(n, p);
    // Four standard deviations of a χ² with `dof` degrees of freedom.
    t.true(Math.abs(value - dof) < 4 * Math.sqrt(2 * dof), `n ${n}, p ${p}: χ² ${value.toFixed(1)} with ${dof} degrees of freedom`);
  }
});

test('binomial counts at the edges: no trials, p = 0, p = 1', (t) => {
  const { hi, lo } = streamKey(1, Purpose.split, 0, 0);
  t.is(binomial(0, 0.5, hi, lo), 0);
  t.is(binomial(100, 0, hi, lo), 0);
  t.is(binomial(100, 1, hi, lo), 100);
});
