/**
 * The arrays of synaptic input — weights and input rings — in the description's precision
 * (`Precision`): 64-bit floats, or 32-bit ones, which halve the bytes that delivery streams through
 * and scatters into. Each addition into a 32-bit ring is made in 64 bits and rounded once, as it is
 * stored: JavaScript's `ring[k] += amount * w` on a `Float32Array` does that, and C's
 * `ring[k] += amount * w` with a `double` amount does too, so the kernels agree bit for bit.
 */
import type { Precision } from '../ir/description.ts';

/** Weights or an input ring. */
export type SynapticArray = Float64Array | Float32Array;

/** A zeroed array of `length` numbers in `precision`. */
export function synapticArray(precision: Precision, length: number): SynapticArray {
  return precision === 'single' ? new Float32Array(length) : new Float64Array(length);
}

/** A zeroed array of `length` numbers of the same precision as `like`. */
export function synapticArrayLike(like: SynapticArray, length: number): SynapticArray {
  return like instanceof Float32Array ? new Float32Array(length) : new Float64Array(length);
}

/** `value` as an array of `precision` stores it: a weight shared by a whole projection. */
export function inPrecision(precision: Precision, value: number): number {
  return precision === 'single' ? Math.fround(value) : value;
}
