#!/usr/bin/env node
// Runs the command: from the CLI's compiled copy where there is one (see compiledCli.mjs), or by
// loading TypeScript on the fly (models and the CLI itself are .ts): a worker node
// (`spikegrid worker …`), or the CLI through the package entry, which registers the coordinators.
import { compiledCli } from './compiledCli.mjs';

// Output piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const argv = process.argv.slice(2);
const compiled = await compiledCli(argv);
if (compiled?.failure) {
  console.error(`spikegrid: ${compiled.failure}`);
  process.exitCode = 2;
} else if (compiled) {
  const { runCommand } = await import(compiled.cli);
  process.exitCode = await runCommand(argv, compiled.thread, compiled.model);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  if (argv[0] === 'worker') {
    const { main } = await import('../worker/nodeMain.ts');
    process.exitCode = await main(argv.slice(1));
  } else {
    await import('../index.ts');
    const { main } = await import('../src/cli/main.ts');
    process.exitCode = await main(argv);
  }
}
