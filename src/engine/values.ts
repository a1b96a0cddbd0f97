/**
 * Per-element values (synaptic weights and delays, initial membrane potentials) from a `ValueSpec`.
 * A drawn value is keyed by (purpose, owner, element) and counted within the element — for a synapse,
 * (projection, target) and the target's k-th incoming connection; for an initial value,
 * (population, neuron) and 0 — so it is the same whichever partition draws it.
 */
import type { ValueSpec } from '../ir/description.ts';
import { Purpose, fmix32, streamKey, uniform } from '../random/counter.ts';
import { standardNormal } from '../random/ziggurat.ts';
import { specialise } from './specialise.ts';

/** Redraws allowed before a truncated normal gives up and clamps (the range holds almost no mass). */
const MAX_REDRAWS = 1000;

/** How values are drawn, resolved once so the per-synapse path reads plain numbers. */
const enum Kind {
  Constant,
  List,
  Uniform,
  Normal,
}

export class ValueSampler {
  /** The single value shared by every element, or NaN when values differ. */
  readonly homogeneous: number;
  private readonly kind: Kind;
  private readonly list: readonly number[];
  /** Uniform: low and high − low; Normal: mean, sd, min, max. */
  readonly a: number;
  readonly b: number;
  readonly min: number;
  readonly max: number;
  /**
   * Stream keys per element, derived on first use: rules like FixedTotalNum visit targets in random
   * order, and deriving a key costs as much as several draws.
   */
  readonly keysHi: Uint32Array;
  readonly keysLo: Uint32Array;
  readonly keyed: Uint8Array;

  constructor(
    spec: ValueSpec,
    readonly seed: number,
    readonly owner: number,
    readonly purpose: (typeof Purpose)['weight' | 'delay' | 'init'],
    /** Elements are numbered 0 … elements − 1. */
    elements: number,
  ) {
    this.homogeneous = typeof spec === 'number' ? spec : NaN;
    this.list = Array.isArray(spec) ? spec : [];
    if (typeof spec === 'number') [this.kind, this.a, this.b, this.min, this.max] = [Kind.Constant, spec, 0, 0, 0];
    else if (Array.isArray(spec)) [this.kind, this.a, this.b, this.min, this.max] = [Kind.List, 0, 0, 0, 0];
    else if ('Uniform' in spec) [this.kind, this.a, this.b, this.min, this.max] = [Kind.Uniform, spec.Uniform.low, spec.Uniform.high - spec.Uniform.low, 0, 0];
    else {
      const { mean, sd, min = -Infinity, max = Infinity } = spec.Normal;
      [this.kind, this.a, this.b, this.min, this.max] = [Kind.Normal, mean, sd, min, max];
    }
    const cached = this.kind === Kind.Uniform || this.kind === Kind.Normal ? elements : 0;
    this.keysHi = new Uint32Array(cached);
    this.keysLo = new Uint32Array(cached);
    this.keyed = new Uint8Array(cached);
  }

  /**
   * The values of a run of synapses (or neurons), in order, into `out` (rounded for an integer
   * array): value n goes to element `base + elements[n]` and is that element's k-th, counting in
   * this order from the element's first (elements lie in [first, first + span)); `indices[n]` is its
   * position for a per-element array spec.
   *
   * Drawn values go through a loop compiled for their kind and array types (`drawLoop`).
   */
  fill(
    elements: Uint16Array | Uint32Array, base: number, count: number, indices: Int32Array | null, first: number, span: number, out: OutArray,
  ): void {
    const round = out instanceof Uint16Array;
    const kind = this.kind;
    if (kind === Kind.Constant) {
      out.fill(round ? Math.round(this.a) : this.a, 0, count);
      return;
    }
    if (kind === Kind.List) {
      for (let n = 0; n < count; n++) out[n] = round ? Math.round(this.list[indices![n]]) : this.list[indices![n]];
      return;
    }
    drawLoop(kind === Kind.Normal, elements, out)(this, elements, base, count, first, span, out);
  }
}

/** The state of a `ValueSampler` that its draw loop reads. */
type DrawState = Pick<ValueSampler, 'a' | 'b' | 'min' | 'max' | 'keysHi' | 'keysLo' | 'keyed' | 'seed' | 'owner' | 'purpose'>;
type ElementArray = Uint16Array | Uint32Array;
/** Values: 64- or 32-bit floats (weights), or 16-bit steps (delays), which are rounded. */
type OutArray = Float64Array | Float32Array | Uint16Array;
type DrawLoopFn = (state: DrawState, elements: ElementArray, base: number, count: number, first: number, span: number, out: OutArray) => void;

/** Compiled draw loops, by distribution and array types (`drawLoop`). */
const drawLoops: Array<DrawLoopFn | undefined> = [];

/**
 * `fill`'s loop for drawn values, one compiled copy (see `specialise`) per distribution and array
 * types, shared by every sampler. With one loop for all, weights (64-bit floats) and delays (16-bit
 * steps) went through the same array store, which V8 then cannot compile for one type: PD14's
 * build drew ≈ 51 ns per value, against ≈ 43 ns with a copy per type. (32-bit weights, in single
 * precision, are a type of their own.)
 */
function drawLoop(normal: boolean, elements: ElementArray, out: OutArray): DrawLoopFn {
  const round = out instanceof Uint16Array;
  const slot = (out instanceof Float32Array ? 8 : 0) + (normal ? 4 : 0) + (elements instanceof Uint32Array ? 2 : 0) + (round ? 1 : 0);
  return (drawLoops[slot] ??= specialise(drawValues, normal, round, uniform, standardNormal, streamKey, fmix32, MAX_REDRAWS));
}

/**
 * Draws value n for element `base + elements[n]`, its k-th, uniform or normal (truncated to
 * [min, max] by redrawing from further streams keyed by (lo, attempt)), rounded for an integer
 * `out`. Self-contained, for `specialise`, and with no named inner functions (a loader may wrap
 * those in a helper the compiled copy cannot see).
 */
function drawValues(
  normal: boolean, round: boolean,
  uniform: (hi: number, lo: number, counter: number) => number, standardNormal: (hi: number, lo: number, counter: number) => number,
  streamKey: (seed: number, purpose: number, a: number, b: number) => { hi: number; lo: number }, fmix32: (h: number) => number, maxRedraws: number,
): DrawLoopFn {
  return (state, elements, base, count, first, span, out) => {
    const { a, b, min, max, keysHi, keysLo, keyed, seed, purpose, owner } = state;
    const k = new Uint32Array(span);
    for (let n = 0; n < count; n++) {
      const element = base + elements[n];
      if (keyed[element] === 0) {
        // Derived on first use (see `keysHi`).
        const key = streamKey(seed, purpose, owner, element);
        keysHi[element] = key.hi;
        keysLo[element] = key.lo;
        keyed[element] = 1;
      }
      const hi = keysHi[element];
      const lo = keysLo[element];
      const counter = k[element - first]++;
      let x: number;
      if (!normal) x = a + b * uniform(hi, lo, counter);
      else {
        x = a + b * standardNormal(hi, lo, counter);
        if (!(x >= min && x <= max)) {
          let attempt = 1;
          for (; attempt < maxRedraws; attempt++) {
            x = a + b * standardNormal(hi, fmix32(lo ^ Math.imul(attempt, 0x27d4eb2f)), counter);
            if (x >= min && x <= max) break;
          }
          // The range holds almost no mass: clamp.
          if (attempt === maxRedraws) x = Math.min(Math.max(a, min), max);
        }
      }
      out[n] = round ? Math.round(x) : x;
    }
  };
}
