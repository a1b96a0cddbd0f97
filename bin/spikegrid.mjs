#!/usr/bin/env node
// Loads TypeScript on the fly (models and the CLI itself are .ts), then runs the command: a worker
// node (`spikegrid worker …`), or the CLI through the package entry, which registers the
// coordinators.
import { register } from 'tsx/esm/api';

register();
// Output piped into `head` and the like: stop quietly when the reader goes away.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const argv = process.argv.slice(2);
if (argv[0] === 'worker') {
  const { main } = await import('../worker/nodeMain.ts');
  process.exitCode = await main(argv.slice(1));
} else {
  await import('../index.ts');
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(argv);
}
