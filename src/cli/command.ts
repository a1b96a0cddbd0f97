/**
 * The command line's entry, as `bin/spikegrid.mjs` loads it: from the compiled copy
 * (`bin/compiledCli.mjs`) or through tsx. It brings in the package entry, which registers the
 * coordinators, and runs one of the two kinds of command, `spikegrid worker …` or the CLI's own.
 */
import '../../index.ts';
import { useThreadScript } from '../../worker/threadScript.ts';
import type { CompiledModel } from './loadModel.ts';
import { main } from './main.ts';

/** What the compiled copy holds besides this module: the thread entry and, for `run`, the MODEL. */
export interface CompiledParts {
  readonly threadScript: string;
  readonly model?: CompiledModel;
}

/** Runs the command in `argv`; `compiled`: the parts of the compiled copy it runs from, if it does. */
export async function runCommand(argv: readonly string[], compiled?: CompiledParts): Promise<number> {
  if (compiled) useThreadScript(compiled.threadScript);
  if (argv[0] === 'worker') return (await import('../../worker/nodeMain.ts')).main(argv.slice(1));
  return main(argv, { model: compiled?.model });
}
