/** Checking a `ValueSpec`: a scalar, one value per element, or a distribution drawn per element. */
import type { ValueSpec } from './description.ts';
import { fail, isRecord, pluginEntry, rejectUnknownKeys, requireFinite, requireNonNegative } from './checks.ts';
import { ModelError } from '../errors.ts';
import { normalCdf } from '../random/distributions.ts';

/** The least share of a normal distribution that its [min, max] window must hold. */
const MIN_WINDOW_MASS = 0.01;

export interface ValueRules {
  /** How many elements an array must have, or why arrays are not allowed here. */
  length: number | { reason: string };
  /** What the elements are, for messages: `neurons`, `connections`. */
  elements: string;
  /** Every value (scalar, array element, distribution bound) must satisfy this. */
  min?: number;
  integer?: boolean;
}

export function checkValueSpec(where: string, field: string, value: unknown, rules: ValueRules): ValueSpec {
  const element = (f: string, v: unknown): number => {
    const x = requireFinite(where, f, v);
    if (rules.integer && !Number.isInteger(x)) fail(where, f, 'a whole number', x);
    if (rules.min !== undefined && x < rules.min) fail(where, f, `≥ ${rules.min}`, x);
    return x;
  };
  if (typeof value === 'number') return element(field, value);
  if (Array.isArray(value)) {
    if (typeof rules.length !== 'number') {
      throw new ModelError('INVALID_VALUE', `${where}: ${field} cannot be an array here: ${rules.length.reason}`);
    }
    if (value.length !== rules.length) {
      throw new ModelError(
        'LENGTH_MISMATCH',
        `${where}: ${field} has ${value.length} values but there are ${rules.length} ${rules.elements}`,
      );
    }
    value.forEach((v, i) => element(`${field}[${i}]`, v));
    return value as number[];
  }
  if (!isRecord(value)) fail(where, field, 'a number, an array or a distribution ({ Normal: … } or { Uniform: … })', value);
  const [kind, options] = pluginEntry(where, field, value, ['Normal', 'Uniform']);
  const path = `${field}.${kind}`;
  if (kind === 'Uniform') {
    rejectUnknownKeys(where, path, options, ['low', 'high']);
    const low = requireFinite(where, `${path}.low`, options.low);
    const high = requireFinite(where, `${path}.high`, options.high);
    if (!(high > low)) fail(where, `${path}.high`, `> low (${low})`, high);
    if (rules.min !== undefined && low < rules.min) fail(where, `${path}.low`, `≥ ${rules.min}`, low);
    return { Uniform: { low, high } };
  }
  rejectUnknownKeys(where, path, options, ['mean', 'sd', 'min', 'max']);
  const mean = requireFinite(where, `${path}.mean`, options.mean);
  const sd = requireNonNegative(where, `${path}.sd`, options.sd);
  const normal: { mean: number; sd: number; min?: number; max?: number } = { mean, sd };
  if (options.min !== undefined) normal.min = requireFinite(where, `${path}.min`, options.min);
  if (options.max !== undefined) normal.max = requireFinite(where, `${path}.max`, options.max);
  if (rules.min !== undefined && (normal.min === undefined || normal.min < rules.min)) {
    fail(where, `${path}.min`, `given and ≥ ${rules.min} (draws below it are not allowed)`, normal.min);
  }
  if (normal.min !== undefined && normal.max !== undefined && !(normal.max > normal.min)) {
    fail(where, `${path}.max`, `> min (${normal.min})`, normal.max);
  }
  // Draws outside [min, max] are drawn again, a bounded number of times, then clamped: a window
  // that holds little of the distribution would give values piled at its edge.
  const [low, high] = [normal.min ?? -Infinity, normal.max ?? Infinity];
  const mass = sd > 0 ? normalCdf((high - mean) / sd) - normalCdf((low - mean) / sd) : Number(mean >= low && mean <= high);
  if (mass < MIN_WINDOW_MASS) {
    throw new ModelError('INVALID_VALUE', `${where}: ${path}: [min, max] = [${low}, ${high}] holds ${(100 * mass).toPrecision(2)} % of Normal(${mean}, ${sd}); `
      + `values outside it are drawn again, so it must hold at least ${100 * MIN_WINDOW_MASS} %: widen it or move the mean`);
  }
  return { Normal: normal };
}
