/** Distributions for per-element values (`v_init`, `weight`, `delay_step`). */
import type { ValueSpec } from '../ir/description.ts';

export class Uniform {
  constructor(
    readonly low: number,
    readonly high: number,
  ) {}

  toJSON(): ValueSpec {
    return { Uniform: { low: this.low, high: this.high } };
  }
}

/** A normal distribution; draws outside [min, max] are redrawn (a truncated normal, as NEST's `redraw`). */
export class Normal {
  constructor(
    readonly mean: number,
    readonly sd: number,
    readonly bounds: { min?: number; max?: number } = {},
  ) {}

  toJSON(): ValueSpec {
    return { Normal: { mean: this.mean, sd: this.sd, ...this.bounds } };
  }
}

export type ValueInput = number | ArrayLike<number> | Uniform | Normal;

/** Plain description data for a value given through the API. */
export function valueSpec(value: ValueInput | undefined): unknown {
  if (value === undefined || typeof value === 'number') return value;
  if (value instanceof Uniform || value instanceof Normal) return value.toJSON();
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<number>);
  return value;
}
