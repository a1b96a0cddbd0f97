/**
 * apache-arrow, loaded on first use. Loading it takes 0.2–0.4 s, and most runs never touch Arrow
 * (`--no-record`, results kept in memory, worker nodes), so the modules that write and read Arrow
 * files ask for it here rather than import it. It is `require`d so that synchronous code (a
 * recorder's `begin`) can load it; the types are the package's own.
 */
import { createRequire } from 'node:module';
import type * as Arrow from 'apache-arrow';

const require = createRequire(import.meta.url);
let library: typeof Arrow | undefined;

export function arrow(): typeof Arrow {
  return (library ??= require('apache-arrow') as typeof Arrow);
}
