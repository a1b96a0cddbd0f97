/**
 * Counter-based random numbers: every number is a pure function of (seed, purpose, ids…, counter).
 *
 * No generator carries state from one draw to the next, so a worker that builds only its own
 * neurons draws exactly the numbers it would have drawn in a single-worker run, and the answer
 * never depends on how many numbers anyone else drew (DESIGN.md, "Determinism").
 *
 * A stream is named by a 64-bit key (two 32-bit words) derived from the seed, a purpose and up to
 * two ids; `bits32(hi, lo, counter)` is the counter-th number of that stream. The mixing function
 * is MurmurHash3's 32-bit finaliser, applied three times — to the counter, then with each key word —
 * which avalanches every input bit into every output bit; per draw it costs six integer multiplies,
 * a third of a ten-round Philox in JavaScript, which matters for the hundreds of millions of Poisson
 * draws of a large network. Keys are 64-bit so that millions of streams do not collide.
 */

/** What a stream is for; part of its key, so two purposes never share numbers. */
export const Purpose = {
  connect: 1,
  weight: 2,
  delay: 3,
  poisson: 4,
  init: 5,
  bernoulli: 6,
  /** Splitting a fixed total number of connections among targets. */
  split: 7,
} as const;

/** MurmurHash3 fmix32: a bijection on 32-bit words with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 64-bit stream key as two unsigned 32-bit words. */
export interface StreamKey {
  readonly hi: number;
  readonly lo: number;
}

/**
 * The key of stream (seed, purpose, a, b). `seed` is an integer in [0, 2^32); ids are integers in
 * [0, 2^32) (a projection or generator index, a neuron index…).
 */
export function streamKey(seed: number, purpose: number, a = 0, b = 0): StreamKey {
  const s = fmix32(seed ^ 0x6a09e667);
  const p = fmix32(s ^ Math.imul(purpose, 0x9e3779b1));
  const pa = fmix32(p ^ fmix32(a ^ 0xbb67ae85));
  const hi = fmix32(pa ^ fmix32(b ^ 0x3c6ef372));
  const lo = fmix32(hi ^ fmix32(pa + 0xa54ff53a) ^ (b >>> 0));
  return { hi, lo };
}

/**
 * The low key word of sub-stream `id` of the stream with low word `lo` (the high word is shared): a
 * third id beside the two of `streamKey`, such as a block of targets of one source's stream.
 */
export function subStreamLo(lo: number, id: number): number {
  return fmix32(lo ^ Math.imul(id + 1, 0x9e3779b9));
}

/**
 * The counter's half of a draw: fmix32(counter·φ ⊕ C). It depends on the counter alone, so a loop
 * that draws the same counter (a step) for many streams (neurons) computes it once.
 */
export function mixCounter(counter: number): number {
  let x = Math.imul(counter, 0x9e3779b1) ^ 0x7f4a7c15;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The keyed half of a draw: fmix32(fmix32(mixed ⊕ lo) + hi), for `mixed = mixCounter(counter)`.
 *
 * The finalisers are written out rather than called so that this stays one small leaf function
 * that V8 inlines into hot loops; a call that is not inlined boxes its result (numbers beyond the
 * small-integer range are heap objects), which cost ~30 ns per draw.
 */
export function keyedBits(hi: number, lo: number, mixed: number): number {
  let x = mixed ^ lo;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  x = (x + hi) | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The `counter`-th unsigned 32-bit number of stream (hi, lo). */
export function bits32(hi: number, lo: number, counter: number): number {
  return keyedBits(hi, lo, mixCounter(counter));
}

const TWO_POW_MINUS_32 = 2 ** -32;

/** The `counter`-th uniform number of a stream, in the open interval (0, 1). */
export function uniform(hi: number, lo: number, counter: number): number {
  return (bits32(hi, lo, counter) + 0.5) * TWO_POW_MINUS_32;
}
