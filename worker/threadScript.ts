/**
 * The ES module worker threads run (through `threadLoader.cjs`). A thread does not inherit the
 * parent's TypeScript loader: under tsx it would register its own and compile the engine again,
 * ≈ 0.35 s per thread alone and twice that when two start together on two cores. So the first pool
 * of a process bundles `threadMain.ts` and everything it imports into one JavaScript file with esbuild
 * (≈ 0.1 s), named by its content so that a changed source never meets a stale bundle, and every
 * thread loads that in ≈ 0.05 s. Should the bundle not be made (esbuild missing, no private
 * writable temporary directory), threads load the sources through tsx instead (`threadEntry.mjs`):
 * slower to start, the same code.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const sources = new URL('./threadMain.ts', import.meta.url);
const fallback = new URL('./threadEntry.mjs', import.meta.url).href;

/** What the threads of a pool run, and with which Node options. */
export interface ThreadScript {
  /** The thread script's file URL. */
  readonly url: string;
  /** Node's options for the threads; undefined: the parent's. */
  readonly execArgv: string[] | undefined;
}

let script: Promise<ThreadScript> | undefined;

/**
 * Threads run `url`, which holds `threadMain.ts` already compiled: the CLI's compiled copy has one
 * (`bin/compiledCli.mjs`), so its threads need no bundle of their own.
 */
export function useThreadScript(url: string): void {
  script = Promise.resolve({ url, execArgv: threadOptions(process.execArgv) });
}

/** The bundle, or the tsx entry. */
export function threadScript(): Promise<ThreadScript> {
  script ??= bundle().then(
    (url) => ({ url, execArgv: threadOptions(process.execArgv) }),
    () => ({ url: fallback, execArgv: undefined }),
  );
  return script;
}

/**
 * Threads inherit the parent's Node options, and a thread that registered tsx (`node --import tsx`,
 * as the tests run) would spend the time the bundle saves, while one given the parent's
 * `--input-type` (`node --input-type=module -e …`) refuses to start: that option is for string
 * input only. So such options, which concern the parent alone, are dropped when what remains are
 * options a thread accepts when given explicitly; anything else is left to be inherited as it is,
 * because explicit thread options may not include V8 or process-wide ones
 * (`--max-old-space-size`), which Node passes to threads only by inheritance.
 */
export function threadOptions(argv: readonly string[]): string[] | undefined {
  const rest = withoutParentOnly(argv);
  if (rest.length === argv.length) return undefined;
  return rest.every((option) => THREAD_SAFE.test(option)) ? rest : undefined;
}

/** Options that a worker thread takes explicitly (among them those ava gives its processes). */
const THREAD_SAFE = /^--(enable-source-maps|no-warnings|no-deprecation|trace-warnings|trace-uncaught)$/;

/** `argv` less its tsx loader, and the options about the parent's own program text. */
function withoutParentOnly(argv: readonly string[]): string[] {
  const loader = /^--(import|loader|experimental-loader|require)$/;
  const programText = /^(--input-type|-e|--eval|-p|-pe|--print)$/;
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (programText.test(flag)) {
      // `--input-type=module`, or the option and its value (the code, for -e and -p).
      if (inline === undefined) i++;
    } else if (!loader.test(flag)) kept.push(argv[i]);
    else if (inline !== undefined) {
      if (!inline.startsWith('tsx')) kept.push(argv[i]);
    } else {
      if (!argv[i + 1]?.startsWith('tsx')) kept.push(argv[i], argv[i + 1]);
      i++;
    }
  }
  return kept;
}

async function bundle(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(sources)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const dir = join(tmpdir(), `spikegrid-threads-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The temporary directory is shared: run only code from a directory that no one else can write,
  // and only a file that holds exactly this bundle.
  const owner = statSync(dir);
  if ((process.getuid && owner.uid !== process.getuid()) || (owner.mode & 0o022) !== 0) {
    throw new Error(`${dir} is writable by others`);
  }
  const path = join(dir, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(path) || !readFileSync(path).equals(code)) {
    // Written whole, then renamed: a thread of another process never loads half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, code, { mode: 0o600 });
    renameSync(partial, path);
  }
  return pathToFileURL(path).href;
}
