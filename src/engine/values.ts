/**
 * Per-element values (synaptic weights and delays, initial membrane potentials) from a `ValueSpec`.
 * A drawn value is keyed by (purpose, owner, element) and counted within the element — for a synapse,
 * (projection, target) and the target's k-th incoming connection; for an initial value,
 * (population, neuron) and 0 — so it is the same whichever partition draws it.
 */
import type { ValueSpec } from '../ir/description.ts';
import { Purpose, fmix32, streamKey, uniform } from '../random/counter.ts';
import { standardNormal } from '../random/distributions.ts';

/** Redraws allowed before a truncated normal gives up and clamps (the range holds almost no mass). */
const MAX_REDRAWS = 1000;

export class ValueSampler {
  /** The single value shared by every element, or NaN when values differ. */
  readonly homogeneous: number;
  private hi = 0;
  private lo = 0;
  /**
   * Stream keys per element, derived on first use: rules like FixedTotalNum visit targets in random
   * order, and deriving a key costs as much as several draws.
   */
  private readonly keysHi: Uint32Array;
  private readonly keysLo: Uint32Array;
  private readonly keyed: Uint8Array;

  constructor(
    private readonly spec: ValueSpec,
    private readonly seed: number,
    private readonly owner: number,
    private readonly purpose: (typeof Purpose)['weight' | 'delay' | 'init'],
    /** Elements are numbered 0 … elements − 1. */
    elements: number,
  ) {
    this.homogeneous = typeof spec === 'number' ? spec : NaN;
    const cached = typeof spec === 'number' || Array.isArray(spec) ? 0 : elements;
    this.keysHi = new Uint32Array(cached);
    this.keysLo = new Uint32Array(cached);
    this.keyed = new Uint8Array(cached);
  }

  /**
   * The `k`-th value of `element` (a target neuron for synapses, a neuron for initial values);
   * `index` is the position in a per-element array where the spec is one (−1 where none applies).
   */
  value(element: number, k: number, index: number): number {
    const spec = this.spec;
    if (typeof spec === 'number') return spec;
    if (Array.isArray(spec)) return spec[index];
    if (this.keyed[element] === 0) {
      const key = streamKey(this.seed, this.purpose, this.owner, element);
      this.keysHi[element] = key.hi;
      this.keysLo[element] = key.lo;
      this.keyed[element] = 1;
    }
    this.hi = this.keysHi[element];
    this.lo = this.keysLo[element];
    if ('Uniform' in spec) {
      const { low, high } = spec.Uniform;
      return low + (high - low) * uniform(this.hi, this.lo, k);
    }
    const { mean, sd, min = -Infinity, max = Infinity } = spec.Normal;
    for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
      const lo = attempt === 0 ? this.lo : fmix32(this.lo ^ Math.imul(attempt, 0x27d4eb2f));
      const x = mean + sd * standardNormal(this.hi, lo, k);
      if (x >= min && x <= max) return x;
    }
    return Math.min(Math.max(mean, min), max);
  }
}
