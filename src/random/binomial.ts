/**
 * Binomial counts from a counter-based stream: how many of n trials succeed with probability p.
 * Each call owns its stream (hi, lo) and reads its numbers from counter 0 on, so the count is a
 * pure function of (n, p, hi, lo).
 *
 * Small means (n·min(p, 1 − p) < 10) invert the distribution from k = 0; larger ones use BTRS, the
 * transformed rejection with squeeze of Hörmann (1993, "The generation of binomial random
 * variates"), which accepts most pairs of uniforms at the first test and costs the same for any n.
 */
import { uniform } from './counter.ts';
import { logFactorial } from './distributions.ts';

export function binomial(n: number, p: number, hi: number, lo: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, hi, lo);
  return n * p < 10 ? byInversion(n, p, hi, lo) : byRejection(n, p, hi, lo);
}

function byInversion(n: number, p: number, hi: number, lo: number): number {
  const odds = p / (1 - p);
  let u = uniform(hi, lo, 0);
  let probability = Math.exp(n * Math.log1p(-p));
  for (let k = 0; k < n; k++) {
    if (u <= probability) return k;
    u -= probability;
    probability *= (odds * (n - k)) / (k + 1);
    // Rounding can leave u above the last representable probabilities: stop there, not at n.
    if (probability === 0) return k + 1;
  }
  return n;
}

/** BTRS for p ≤ ½ and n·p ≥ 10. */
function byRejection(n: number, p: number, hi: number, lo: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq;
  const vr = 0.92 - 4.2 / b;
  const mode = Math.floor((n + 1) * p);
  const logOdds = Math.log(p / q);
  const h = logFactorial(mode) + logFactorial(n - mode);
  for (let attempt = 0; ; attempt++) {
    const u = uniform(hi, lo, 2 * attempt) - 0.5;
    let v = uniform(hi, lo, 2 * attempt + 1);
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= h - logFactorial(k) - logFactorial(n - k) + (k - mode) * logOdds) return k;
  }
}
