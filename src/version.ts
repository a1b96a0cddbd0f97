/** spikegrid's version, from its package.json: recorded with every run and printed by `spikegrid --version`. */
import { readFileSync } from 'node:fs';

export const spikegridVersion = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
