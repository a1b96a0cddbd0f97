#!/usr/bin/env node
// Runs the command (`src/cli/command.ts`): from the CLI's compiled copy where there is one (see
// compiledCli.mjs), or by loading TypeScript on the fly (models and the CLI itself are .ts).
import { compiledCli } from './compiledCli.mjs';

// Output piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
// Errors in a MODEL point at its own file and line, though it runs from the compiled copy.
process.setSourceMapsEnabled(true);
const argv = process.argv.slice(2);
const compiled = await compiledCli(argv);
if (compiled?.failure) {
  console.error(`spikegrid: ${compiled.failure}`);
  process.exitCode = 2;
} else if (compiled) {
  const { runCommand } = await import(compiled.cli);
  process.exitCode = await runCommand(argv, { threadScript: compiled.thread, model: compiled.model });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCommand } = await import('../src/cli/command.ts');
  process.exitCode = await runCommand(argv);
}
