/** Reading the cluster token and certificates named on the command line. */
import { readFileSync } from 'node:fs';
import { ModelError } from '../errors.ts';

export function readSecretFile(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ModelError('UNKNOWN_NAME', `${option} ${path}: ${(error as Error).message}`);
  }
}

/** The token in a file, without surrounding whitespace; an empty one is refused. */
export function readSecret(path: string, option: string): string {
  const token = readSecretFile(path, option).toString('utf8').trim();
  if (!token) throw new ModelError('INVALID_VALUE', `${option} ${path} is empty; put the cluster token in it`);
  return token;
}
