/**
 * The command line's entry in its compiled copy (`bin/compiledCli.mjs`): the package entry, which
 * registers the coordinators, and the two commands, `spikegrid worker …` and everything else.
 */
import '../../index.ts';
import { useThreadScript } from '../../worker/threadScript.ts';
import { main, type MainOptions } from './main.ts';

/**
 * Runs the command in `argv`. `threadScript`: the compiled thread entry; `model`: a MODEL file and
 * the URL of its compiled copy, which shares this copy's classes.
 */
export async function runCommand(argv: readonly string[], threadScript: string, model?: MainOptions['model']): Promise<number> {
  useThreadScript(threadScript);
  if (argv[0] === 'worker') return (await import('../../worker/nodeMain.ts')).main(argv.slice(1));
  return main(argv, { model });
}
