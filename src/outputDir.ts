/**
 * The directories spikegrid writes results into: `--out`, a recorder's directory, plots. Node's
 * recursive mkdir never returns for a path under /proc (it retries forever), and its errors do not
 * say which setting named the path. So the missing directories are made one at a time, from the
 * deepest one that exists, and a failure is reported as the user's to fix.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ModelError } from './errors.ts';

/** Makes `dir` and any missing parents; `setting` names where the user gave it (`--out`). */
export function makeOutputDir(dir: string, setting: string): void {
  const fail = (why: string) => new ModelError('INVALID_VALUE', `${setting} ${dir}: ${why}; give a directory that can be created and written to`);
  const missing: string[] = [];
  let path = resolve(dir);
  while (!existsSync(path)) {
    missing.push(path);
    const parent = dirname(path);
    if (parent === path) break;
    path = parent;
  }
  if (existsSync(path) && !statSync(path).isDirectory()) throw fail(`${path} is not a directory`);
  for (const directory of missing.reverse()) {
    try {
      mkdirSync(directory);
    } catch (error) {
      // Made meanwhile by someone else: fine if it is a directory, which the check below tells.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fail(`cannot make ${directory} (${(error as Error).message})`);
    }
  }
  if (!statSync(dir).isDirectory()) throw fail('it is not a directory');
}
