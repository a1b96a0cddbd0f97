/**
 * Samplers on top of the counter-based streams. Each takes the stream key and the counter(s) it
 * may use, so the same (key, counter) always gives the same value.
 */
import { bits32, fmix32, uniform } from './counter.ts';

/** Means up to this many events per draw use table inversion; larger ones use PTRS. */
const INVERSION_LIMIT = 30;
export const GUIDE_BITS = 12;
const GUIDE_SIZE = 2 ** GUIDE_BITS;

/**
 * Draws Poisson counts of one fixed mean. Built once per generator (tables precomputed), then
 * `sample(hi, lo, counter)` is a pure function of its arguments.
 *
 * Small means invert the cumulative distribution: the count is the smallest k with
 * u ≤ P(X ≤ k), u = (x + ½)/2³² for the stream's 32-bit number x. The comparison is done on x
 * itself (u > P(X ≤ k) exactly when x > `thresholds[k]`). A guide table indexed by the top 12 bits
 * of x gives the count outright for all but the few buckets that a threshold cuts (≈ 0.2 % of
 * draws for a mean of 2), which search on from the guide's start with `countFrom`.
 */
export class PoissonSampler {
  /** floor(P(X ≤ k)·2³² − ½) per k, for means drawn by inversion; null for large means. */
  readonly thresholds: Float64Array | null;
  /**
   * Per value of the top 12 bits of x: the count k itself when every x of that bucket draws k, or
   * ~k (negative) when a threshold cuts the bucket and the count is `countFrom(thresholds, x, k)`.
   */
  readonly guide: Int32Array | null;
  /**
   * The largest count the table draws: the first whose threshold no 32-bit number exceeds (the
   * table runs on where rounding keeps the sum of probabilities just below 1).
   */
  readonly largestCount: number;
  private readonly useTable: boolean;
  // PTRS constants (Hörmann 1993, "The transformed rejection method for generating Poisson
  // random variables").
  private readonly slam: number;
  private readonly loglam: number;
  private readonly b: number;
  private readonly a: number;
  private readonly invalpha: number;
  private readonly vr: number;

  constructor(readonly mean: number) {
    this.useTable = mean <= INVERSION_LIMIT;
    const terms: number[] = [];
    if (this.useTable && mean > 0) {
      let p = Math.exp(-mean);
      let cumulative = 0;
      for (let k = 0; cumulative < 1 - 1e-16 && k < 1000; k++) {
        cumulative += p;
        terms.push(cumulative);
        p *= mean / (k + 1);
      }
    }
    if (this.useTable) {
      const thresholds = Float64Array.from(terms, (p) => Math.floor(p * 2 ** 32 - 0.5));
      const guide = new Int32Array(GUIDE_SIZE);
      const last = thresholds.length - 1;
      const bucket = 2 ** (32 - GUIDE_BITS);
      for (let m = 0, k = 0; m < GUIDE_SIZE; m++) {
        while (k < last && thresholds[k] < m * bucket) k++;
        const exact = k >= last || thresholds[k] >= (m + 1) * bucket - 1;
        guide[m] = exact ? k : ~k;
      }
      this.thresholds = thresholds;
      const saturated = thresholds.findIndex((x) => x >= 2 ** 32 - 1);
      this.largestCount = saturated >= 0 ? saturated : last;
      this.guide = guide;
    } else {
      this.thresholds = null;
      this.largestCount = Infinity;
      this.guide = null;
    }
    this.slam = Math.sqrt(mean);
    this.loglam = Math.log(mean);
    this.b = 0.931 + 2.53 * this.slam;
    this.a = -0.059 + 0.02483 * this.b;
    this.invalpha = 1.1239 + 1.1328 / (this.b - 3.4);
    this.vr = 0.9277 - 3.6224 / (this.b - 2);
  }

  sample(hi: number, lo: number, counter: number): number {
    if (this.mean <= 0) return 0;
    if (this.useTable) {
      const x = bits32(hi, lo, counter);
      const k = this.guide![x >>> (32 - GUIDE_BITS)];
      return k >= 0 ? k : countFrom(this.thresholds!, x, ~k);
    }
    return this.sampleLarge(hi, lo, counter);
  }

  /** PTRS; attempt j reads its two uniforms from a stream whose key is offset by j. */
  private sampleLarge(hi: number, lo: number, counter: number): number {
    for (let attempt = 0; ; attempt++) {
      const alo = attempt === 0 ? lo : fmix32(lo ^ Math.imul(attempt, 0x27d4eb2f));
      const u = uniform(hi, alo, 2 * counter) - 0.5;
      const v = uniform(hi, alo, 2 * counter + 1);
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * this.a) / us + this.b) * u + this.mean + 0.43);
      if (us >= 0.07 && v <= this.vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = Math.log(v) + Math.log(this.invalpha) - Math.log(this.a / (us * us) + this.b);
      const rhs = -this.mean + k * this.loglam - logFactorial(k);
      if (lhs <= rhs) return k;
    }
  }
}

/**
 * The inverted count for a 32-bit number x, searching up from k: the smallest count ≥ k whose
 * threshold x does not exceed. Kept out of the draw loops: a loop inside theirs makes V8 compile
 * them about twice as slowly, though it rarely runs.
 */
export function countFrom(thresholds: Float64Array, x: number, k: number): number {
  const last = thresholds.length - 1;
  while (k < last && x > thresholds[k]) k++;
  return k;
}

/** ln(k!) — exact sums for small k, Stirling's series beyond. */
export function logFactorial(k: number): number {
  if (k < 20) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
}

/** An integer in [0, n) from the `counter`-th number of a stream; bias below n / 2^32. */
export function uniformIndex(hi: number, lo: number, counter: number, n: number): number {
  // uniform(hi, lo, counter), written out: one call level less for V8 to inline.
  return Math.floor((bits32(hi, lo, counter) + 0.5) * 2.3283064365386963e-10 * n);
}

/** Φ(z), the standard normal distribution function, to within 1.5·10⁻⁷ (Abramowitz & Stegun 7.1.26). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}
