/**
 * Runs Python in the project's virtual environment (`.venv`, with pyarrow, pandas, polars and
 * duckdb — `.ci/run` makes it), so tests can prove that real readers other than ours open our files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const interpreter = join(import.meta.dirname, '..', '.venv', 'bin', 'python');

export function python(script: string, ...args: string[]): string {
  if (!existsSync(interpreter)) {
    throw new Error('no .venv: run `python3 -m venv .venv && .venv/bin/pip install pyarrow pandas polars duckdb` (as .ci/run does)');
  }
  return execFileSync(interpreter, ['-c', script, ...args], { encoding: 'utf8' });
}
