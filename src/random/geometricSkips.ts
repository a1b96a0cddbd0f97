/**
 * The gaps FixedProb skips between connected sources: floor(ln u / ln(1 − p)) for the uniform
 * u = (x + ½)/2³² of a stream's 32-bit number x, a geometric count of failures before a success.
 *
 * The logarithm and division cost ≈ 20 ns, half of drawing a synapse. The gap is a step function of
 * x that changes value only where ln u / ln(1 − p) crosses an integer, so a table over the top 12
 * bits of x gives it outright in every bucket that no crossing comes near; only the few buckets
 * that hold one (and bucket 0, where they crowd) evaluate the formula. The result is the same
 * integer for every x either way: the formula's rounding (a few ulps) moves a crossing by far less
 * than one unit of x, and the table keeps a margin of several units around each.
 */
const TWO_POW_MINUS_32 = 2 ** -32;
const BITS = 12;
const SHIFT = 32 - BITS;
const BUCKET = 2 ** SHIFT;
/** Units of x kept clear around a crossing; it is found to within one. */
const MARGIN = 4;
/** Below this p, crossings fall closer together than buckets: no table. */
const SMALLEST_TABULATED_P = 0.005;
/** The largest gap `gap` returns: the largest 32-bit integer, beyond the last neuron of any population. */
export const LARGEST_GAP = 2 ** 31 - 1;

/** The gap for the 32-bit number x: floor(ln((x + ½)/2³²) / logQ), logQ = ln(1 − p). */
export function gapOf(x: number, logQ: number): number {
  return Math.floor(Math.log((x + 0.5) * TWO_POW_MINUS_32) / logQ);
}

export class GeometricSkips {
  readonly logQ: number;
  /** Per bucket of the top 12 bits of x: the gap of every x in it, or −1 to evaluate `gapOf`. */
  readonly guide: Int32Array;

  /** 0 < p < 1. */
  constructor(readonly p: number) {
    this.logQ = Math.log1p(-p);
    this.guide = new Int32Array(2 ** BITS).fill(-1);
    if (p < SMALLEST_TABULATED_P) return;
    const ambiguous = new Uint8Array(2 ** BITS);
    ambiguous[0] = 1;
    // The m-th crossing: the largest x whose gap is still ≥ m (gaps fall as x grows).
    for (let m = 1; gapOf(BUCKET - MARGIN, this.logQ) >= m; m++) {
      let lo = 0;
      let hi = 2 ** 32 - 1;
      if (gapOf(hi, this.logQ) >= m) break;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (gapOf(mid, this.logQ) >= m) lo = mid;
        else hi = mid;
      }
      const first = Math.max(0, Math.floor((lo - MARGIN) / BUCKET));
      const last = Math.min(2 ** BITS - 1, Math.floor((lo + MARGIN) / BUCKET));
      for (let b = first; b <= last; b++) ambiguous[b] = 1;
    }
    for (let b = 0; b < 2 ** BITS; b++) if (!ambiguous[b]) this.guide[b] = gapOf(b * BUCKET + BUCKET / 2, this.logQ);
  }

  /**
   * The gap for the 32-bit number x: exactly `gapOf(x, logQ)`, or `LARGEST_GAP` where that is larger,
   * which skips past any population as surely. Always a 32-bit integer, so V8 keeps the caller's
   * running index one too: where the formula's result could reach the index as a double, the
   * draws of a FixedProb row took ≈ 22 ns each instead of ≈ 15 (Brunel's E→E, a micro-benchmark).
   */
  gap(x: number): number {
    const g = this.guide[x >>> SHIFT];
    return g >= 0 ? g : Math.min(gapOf(x, this.logQ), LARGEST_GAP) | 0;
  }
}
