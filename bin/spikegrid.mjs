#!/usr/bin/env node
// Loads TypeScript on the fly (models and the CLI itself are .ts), then runs the CLI through the
// package entry, which registers the worker-thread coordinator.
import { register } from 'tsx/esm/api';

register();
await import('../index.ts');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
