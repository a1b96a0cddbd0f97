/**
 * Poisson counts drawn before their step, while a partition waits for the spikes of the others. A
 * count is a pure function of (seed, generator, output, step), so drawing it early changes nothing
 * but when the time is spent: `emit` adds exactly the counts it would have drawn itself, in the
 * same order. Over gRPC every partition waits for a round trip through the coordinator in every
 * chunk; drawing the next steps' counts meanwhile takes them off the next chunk's critical path.
 */

import type { DrawCounts } from './nativePoisson.ts';

/** At most this many bytes of counts per generator and partition, and this many steps ahead. */
const BANK_BYTES = 1 << 19;
const MAX_STEPS = 64;
/** Outputs drawn per call of `drawAhead`: ≈ 8 µs, so a waiter notices promptly that its wait is over. */
export const DRAW_PIECE = 1024;

export class PoissonBank {
  /** `counts[(t % steps) * outputs + a]`: the count of output `a` at step `t`. */
  readonly counts: Uint8Array;
  /**
   * [0]: steps before this one are drawn for every output; [1]: how many outputs of step [0] are
   * drawn (a prefix); [2]: the step the generator emits next (earlier ones are spent). The kernels
   * read and write these slots by number.
   */
  readonly state = new Int32Array(3);
  /** How many steps the bank holds. */
  readonly steps: number;

  constructor(readonly outputs: number) {
    this.steps = Math.max(1, Math.min(MAX_STEPS, Math.floor(BANK_BYTES / Math.max(1, outputs))));
    this.counts = new Uint8Array(this.steps * outputs);
  }
}

/**
 * Called by an emit kernel for step `t` of `n` outputs: marks the step emitted, and returns how many
 * of its outputs (a prefix) are in the bank already. Passed to the kernels, which may not import.
 */
export function takeStep(state: Int32Array, t: number, n: number): number {
  state[2] = t + 1;
  const filled = state[0];
  const drawn = t < filled ? n : t === filled ? state[1] : 0;
  if (t >= filled) {
    state[0] = t + 1;
    state[1] = 0;
  }
  return drawn;
}

/**
 * Draws the next piece of counts into a bank (`counts`, `state`, `steps`), as the emit kernels in
 * `generators.ts` draw them, or through `drawCounts` (in C) where given. Returns false when the bank
 * is full or the generator has nothing more to emit. Specialised per generator (see `specialise`).
 */
export function drawAhead(
  keyHi: Uint32Array, keyLo: Uint32Array, thresholds: Float64Array, guide: Int32Array, guideShift: number,
  countFrom: (thresholds: Float64Array, x: number, k: number) => number, mixCounter: (counter: number) => number, keyedBits: (hi: number, lo: number, mixed: number) => number,
  drawCounts: DrawCounts | null, firstStep: number, stopStep: number, counts: Uint8Array, state: Int32Array, steps: number, piece: number,
) {
  const n = keyHi.length;
  return (): boolean => {
    const next = state[2];
    let s = state[0];
    if (s < next || s < firstStep) {
      s = next > firstStep ? next : firstStep;
      state[0] = s;
      state[1] = 0;
    }
    if (s >= stopStep || s - next >= steps) return false;
    const from = state[1];
    const to = from + piece < n ? from + piece : n;
    const mixed = mixCounter(s);
    const row = (s % steps) * n;
    if (drawCounts !== null) {
      drawCounts(mixed, from, to, counts, row);
    } else {
      for (let a = from; a < to; a++) {
        const x = keyedBits(keyHi[a], keyLo[a], mixed);
        let count = guide[x >>> guideShift];
        if (count < 0) count = countFrom(thresholds, x, ~count);
        counts[row + a] = count;
      }
    }
    if (to === n) {
      state[0] = s + 1;
      state[1] = 0;
    } else {
      state[1] = to;
    }
    return true;
  };
}
