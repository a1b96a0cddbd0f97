/** Small checks that throw `ModelError`s naming the object and the field. */
import { ModelError } from '../errors.ts';

/** A value as an error message quotes it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // Not through JSON, which writes NaN and ±Infinity as null.
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length > 6 ? `an array of ${value.length}` : `[${value.map(show).join(',')}]`;
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return String(value);
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of ${(value as unknown as ArrayLike<unknown>).length}`;
  // An instance of a class (a TraceMatrix passed where a column goes) by its class, not its contents.
  const prototype = value === null ? null : Object.getPrototypeOf(value);
  if (prototype !== null && prototype !== Object.prototype) return `a ${prototype.constructor?.name ?? 'object'}`;
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}

export function fail(where: string, field: string, requirement: string, value: unknown): never {
  throw new ModelError('INVALID_VALUE', `${where}: ${field} must be ${requirement}, got ${show(value)}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireRecord(where: string, field: string, value: unknown): Record<string, unknown> {
  if (!isRecord(value)) fail(where, field, 'an object', value);
  return value;
}

export function requireFinite(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, field, 'a finite number', value);
  return value;
}

export function requirePositive(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) fail(where, field, '> 0', value);
  return value;
}

export function requireNonNegative(where: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0)) fail(where, field, '≥ 0', value);
  return value;
}

/** A whole number in min..max: a count, an index, a seed. */
export function requireInteger(where: string, field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}..${max}`;
    fail(where, field, `a whole number ${range}`, value);
  }
  return value;
}

/** A non-empty string; `requirement` says what it stands for where that helps more ("a folder path"). */
export function requireString(where: string, field: string, value: unknown, requirement = 'a non-empty string'): string {
  if (typeof value !== 'string' || value.length === 0) fail(where, field, requirement, value);
  return value;
}

export function requireBoolean(where: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(where, field, 'true or false', value);
  return value;
}

/** Rejects keys nobody reads, listing the ones that are read (typos must not vanish silently). */
export function rejectUnknownKeys(where: string, field: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const prefix = field ? `${field}.` : '';
      throw new ModelError('UNKNOWN_KEY', `${where}: unknown ${prefix}${key}; known: ${known.join(', ')}`);
    }
  }
}

/** The single key of a plug-in object such as `{ "FixedProb": { "p": 0.1 } }`. */
export function pluginEntry(where: string, field: string, value: unknown, known: readonly string[]): [string, Record<string, unknown>] {
  const keys = isRecord(value) ? Object.keys(value) : [];
  if (!isRecord(value) || keys.length !== 1) {
    fail(where, field, `an object with one key naming the kind (${known.join(', ')})`, value);
  }
  const kind = keys[0];
  if (!known.includes(kind)) {
    throw new ModelError('UNKNOWN_NAME', `${where}: ${field} names unknown kind "${kind}"; known: ${known.join(', ')}`);
  }
  const options = value[kind] ?? {};
  return [kind, requireRecord(where, `${field}.${kind}`, options)];
}
