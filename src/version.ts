/** Versions recorded with every run: spikegrid's own (also `spikegrid --version`) and its packages'. */
import { readFileSync } from 'node:fs';

/** The `version` of the package.json at `path`. */
export function packageVersion(path: string | URL): string {
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

export const spikegridVersion = packageVersion(new URL('../package.json', import.meta.url));
