/**
 * The roots of the errors spikegrid throws (a distributed run adds `WorkerError` and `NodeError`,
 * which name the worker or node that failed).
 *
 * `ModelError` is the user's to fix: a bad parameter, an unknown name, a description that does not
 * hold together. Its message names the object and the field and says what to change. `code` is
 * stable, so scripts and tests can match on it rather than on wording.
 *
 * `OutputError` is the machine's: a file of the run's output could not be written (a full disk, a
 * file size limit, a lost mount). Its message names the file and says what was kept.
 *
 * `InternalError` means spikegrid itself is wrong; it should never reach a user.
 */

export type ModelErrorCode =
  | 'INVALID_VALUE'
  | 'UNKNOWN_NAME'
  | 'UNKNOWN_KEY'
  | 'DUPLICATE_NAME'
  | 'LENGTH_MISMATCH'
  | 'UNSUPPORTED';

export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class OutputError extends Error {
  override readonly name = 'OutputError';
  constructor(
    readonly path: string,
    cause: Error,
    kept: string,
  ) {
    super(`cannot write ${path}: ${cause.message}; ${kept}`, { cause });
  }
}

export class InternalError extends Error {
  override readonly name = 'InternalError';
}

/** `Kind "name"` as error messages quote an object. */
export function label(kind: string, name: string): string {
  return `${kind} "${name}"`;
}
