import { ModelError } from './errors.ts';
import { show } from './ir/checks.ts';

/**
 * The parameters a model accepts from `--set name=value`, with defaults. An unknown name is an
 * error that lists the known ones; a value of the wrong type is an error too.
 */
export function modelParams<T extends Record<string, number | string | boolean>>(
  given: Record<string, unknown> | undefined,
  defaults: T,
): T {
  const result = { ...defaults } as Record<string, unknown>;
  for (const [name, value] of Object.entries(given ?? {})) {
    if (!Object.hasOwn(defaults, name)) {
      throw new ModelError('UNKNOWN_KEY', `--set ${name}: this model has no parameter ${name}; known: ${Object.keys(defaults).join(', ')}`);
    }
    if (typeof value !== typeof defaults[name]) {
      throw new ModelError('INVALID_VALUE', `--set ${name}: must be a ${typeof defaults[name]}, got ${show(value)}`);
    }
    result[name] = value;
  }
  return result as T;
}
