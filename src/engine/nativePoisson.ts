/**
 * Poisson counts in C (`native/poisson.c`): the counts the JavaScript loops of `poissonEmit`,
 * `poissonEmitOneEach` and `drawAhead` draw, the same bit for bit (integer hashing, then the same
 * table and comparisons), drawn eight outputs at a time where the processor allows. The Poisson
 * drive of the Brunel network is a third of its work in JavaScript. Where each output has one
 * synapse (`poissonEmitOneEach`), C also adds the counts into the targets' ring.
 */
import { NATIVE_FROM, nativeKernels } from './nativeKernels.ts';
import type { SynapticArray } from './precision.ts';

/** Writes the counts of outputs [from, to) at the step whose `mixCounter` is `mixed` to `counts[offset + a]`. */
export type DrawCounts = (mixed: number, from: number, to: number, counts: Uint8Array, offset: number) => void;

/**
 * The C draw of the counts of outputs with stream keys (`keyHi`, `keyLo`) from a sampler's table
 * (`thresholds`, `guide` read through its top `32 - guideShift` bits), whose counts fit a byte;
 * null where the addon is not in use or the outputs are too few to gain (`NATIVE_FROM`). The
 * closure holds the arrays the addon reads through pointers.
 */
export function nativePoissonCounts(keyHi: Uint32Array, keyLo: Uint32Array, thresholds: Float64Array, guide: Int32Array, guideShift: number): DrawCounts | null {
  const native = nativeKernels();
  if (native === null || keyHi.length < NATIVE_FROM) return null;
  const kept = { draws: native.poissonDraws(keyHi, keyLo, thresholds, guide, guideShift), keyHi, keyLo, thresholds, guide };
  const { drawCounts } = native;
  return (mixed, from, to, counts, offset) => drawCounts(kept.draws, mixed, from, to, counts, offset);
}

/** Adds `counts[offset + a] × weight` to ring position `base + targetOf[a]` for outputs a in [from, to); returns the sum of the counts. */
export type AddCounts = (counts: Uint8Array, offset: number, from: number, to: number, base: number) => number;

/**
 * The C loop of `poissonEmitOneEach` that adds each output's count times `weight` into the slot of
 * its one target (`targetOf`, below the slot's `size`) in `ring`, in output order as that loop does;
 * null where the addon is not in use or the outputs are too few (`NATIVE_FROM`).
 */
export function nativeOneEachInputs(targetOf: Uint32Array, weight: number, ring: SynapticArray, size: number): AddCounts | null {
  const native = nativeKernels();
  if (native === null || targetOf.length < NATIVE_FROM) return null;
  const kept = { inputs: native.oneEachInputs(targetOf, weight, ring, size), targetOf, ring };
  const { addCounts } = native;
  return (counts, offset, from, to, base) => addCounts(kept.inputs, counts, offset, from, to, base);
}
