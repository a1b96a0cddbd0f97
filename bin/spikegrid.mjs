#!/usr/bin/env node
// Loads TypeScript on the fly (models and the CLI itself are .ts), then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
