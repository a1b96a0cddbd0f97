import type { ValueSpec } from './description.ts';

/** Smallest and largest delay [steps] a delay spec can produce (draws are rounded to whole steps). */
export function delayBounds(spec: ValueSpec): [number, number] {
  if (typeof spec === 'number') return [spec, spec];
  if (Array.isArray(spec)) {
    let min = Infinity;
    let max = -Infinity;
    for (const d of spec) {
      if (d < min) min = d;
      if (d > max) max = d;
    }
    return [min, max];
  }
  if ('Uniform' in spec) return [Math.round(spec.Uniform.low), Math.round(spec.Uniform.high)];
  return [Math.round(spec.Normal.min!), Math.round(spec.Normal.max!)];
}

