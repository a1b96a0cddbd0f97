/**
 * The command line's compiled copy. Through tsx, every command spends ≈ 0.35 s registering the
 * TypeScript loader and compiling what it imports, before it reads its arguments. Instead, the CLI,
 * the worker threads' entry and the MODEL are compiled together with esbuild into plain JavaScript
 * modules that share their code (so the model's `nn` classes are the CLI's own), once; later
 * commands import them in ≈ 0.1 s.
 *
 * Copies live in the package's `node_modules/.cache/spikegrid/`. For each MODEL file (and one for
 * commands without a model) an index lists every source its copy was compiled from, with its
 * SHA-1; a command uses the copy only while each of them still holds that content, and compiles a
 * new one otherwise. A copy is a directory named by its content and never changes once written;
 * the indexes an older spikegrid wrote are dropped, and a copy that no index names any more is
 * removed a day after it was made, so that a command still running from it (a worker node, say) is
 * not disturbed. Where no copy can be made (esbuild missing, a cache that cannot be written),
 * `compiledCli` returns null and the command runs through tsx, as `SPIKEGRID_COMPILE=0` asks; a
 * model esbuild rejects is reported with where and why.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
/** This file's own text: its changes may change what a copy holds, so it names the indexes. */
const ownSource = readFileSync(fileURLToPath(import.meta.url));
const cache = join(root, 'node_modules', '.cache', 'spikegrid');
export { cache as cacheDir };
const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
/** `spikegrid run` options that take no value (the CLI's usage line; a test keeps the two in step). */
export const RUN_FLAGS_WITHOUT_VALUE = ['--no-record', '--no-progress'];
/** A copy no index names is removed this long after it was made: a command may still be running from it. */
const STALE_COPY_MS = 24 * 60 * 60 * 1000;

/**
 * The compiled copy for the command in `argv`: file URLs of its CLI entry (`runCommand`) and thread
 * entry, and the model it holds; or, for a model that does not compile, `failure`, a message that
 * says where and why. Null where the command should run through tsx.
 */
export async function compiledCli(argv) {
  if (process.env.SPIKEGRID_COMPILE === '0') return null;
  const model = modelFile(argv);
  if (model === null) return null;
  try {
    const index = indexFor(model);
    const copy = currentCopy(index) ?? (await compile(index, model));
    const url = (name) => pathToFileURL(join(cache, copy, `${name}.js`)).href;
    return { cli: url('cli'), thread: url('thread'), model: model ? { file: model, url: url('model') } : undefined };
  } catch (error) {
    // esbuild's errors say where and what; anything else (no esbuild, no cache) leaves it to tsx.
    if (!Array.isArray(error?.errors) || error.errors.length === 0) return null;
    const where = (e) => (e.location ? `${resolve(root, e.location.file)}:${e.location.line}:${e.location.column}: ` : '');
    return { failure: `${model ? `MODEL ${modelArgument(argv)}` : 'spikegrid'} does not compile:\n${error.errors.map((e) => `  ${where(e)}${e.text}`).join('\n')}` };
  }
}

/**
 * The index of `model`'s copy (undefined: of commands without a model). It is named by the model,
 * by this file, whose changes may change what a copy holds, and by the package's folder: two
 * checkouts that share one `node_modules` (a link) each compile their own sources.
 */
export function indexFor(model) {
  return join(cache, `index-${sha1(`${ownSource}\0${root}\0${model ?? ''}`).slice(0, 16)}.json`);
}

/**
 * The MODEL script of `spikegrid run MODEL …`, absolute; undefined for a command that has none to
 * compile (another command, a JSON description); null where the arguments are not understood here,
 * for the CLI itself to report.
 */
export function modelFile(argv) {
  if (argv[0] !== 'run') return undefined;
  const argument = modelArgument(argv);
  if (argument === undefined) return null;
  const file = resolve(argument);
  if (extname(file) === '.json') return undefined;
  return SCRIPT_EXTENSIONS.includes(extname(file)) && existsSync(file) ? file : null;
}

/** MODEL as written in `spikegrid run … MODEL …`: the first argument that is not an option or its value. */
function modelArgument(argv) {
  for (let i = 1; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) return argv[i];
    if (!RUN_FLAGS_WITHOUT_VALUE.includes(argv[i])) i++;
  }
  return undefined;
}

/** The copy `index` names, if every source it was compiled from is unchanged. */
function currentCopy(index) {
  let entry;
  try {
    entry = JSON.parse(readFileSync(index, 'utf8'));
  } catch {
    return null;
  }
  for (const [file, digest] of Object.entries(entry.inputs)) {
    let content;
    try {
      content = readFileSync(file);
    } catch {
      return null;
    }
    if (sha1(content) !== digest) return null;
  }
  return existsSync(join(cache, entry.copy, 'cli.js')) ? entry.copy : null;
}

async function compile(index, model) {
  const { build } = await import('esbuild');
  const entryPoints = { cli: join(root, 'src/cli/command.ts'), thread: join(root, 'worker/threadMain.ts') };
  if (model) entryPoints.model = model;
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    outdir: join(cache, 'out'),
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [importMetaPlugin, modelPackagesPlugin],
  });
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = resolve(root, input);
    inputs[file] = sha1(readFileSync(file));
  }
  const files = withModelSourceMapOnly(result.outputFiles.map((o) => ({ name: o.path.slice(join(cache, 'out').length + 1), contents: o.contents })));
  const copy = `copy-${sha1(files.map((f) => `${f.name}\0${sha1(f.contents)}`).join('\0')).slice(0, 16)}`;
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(cache, copy, 'cli.js'))) {
    // Written whole, then renamed: another command never imports half a copy.
    const partial = join(cache, `${copy}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
    for (const file of files) {
      mkdirSync(join(partial, file.name, '..'), { recursive: true });
      writeFileSync(join(partial, file.name), file.contents);
    }
    try {
      renameSync(partial, join(cache, copy));
    } catch (error) {
      // Another command wrote the same copy first.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(join(cache, copy, 'cli.js'))) throw error;
    }
  }
  const partialIndex = `${index}.${process.pid}.partial`;
  writeFileSync(partialIndex, JSON.stringify({ copy, model: model ?? null, root, inputs }));
  renameSync(partialIndex, index);
  removeUnusedCopies();
  return copy;
}

/**
 * The model's code keeps a source map, so that an error in it points at the model's own file and
 * line (`bin/spikegrid.mjs` turns Node's source maps on); the rest of the copy drops its maps, which
 * Node would otherwise read and parse on every command (≈ 30 ms).
 */
function withModelSourceMapOnly(files) {
  const kept = [];
  for (const file of files) {
    if (file.name.endsWith('.map')) {
      if (file.name === 'model.js.map') kept.push(file);
    } else if (file.name === 'model.js') kept.push(file);
    else kept.push({ ...file, contents: Buffer.from(Buffer.from(file.contents).toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')) });
  }
  return kept;
}

/**
 * Each module keeps its own `import.meta.url`, `dirname` and `filename`, as when Node loads it, so
 * that what it finds next to itself (the gRPC contract, package.json, a model's data files) and
 * what `createRequire(import.meta.url)` resolves are what they were, though the code runs from the
 * cache.
 */
const importMetaPlugin = {
  name: 'import-meta',
  setup(build) {
    build.onLoad({ filter: /\.m?[jt]s$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const loader = /\.m?ts$/.test(args.path) ? 'ts' : 'js';
      const define = {
        'import.meta.url': JSON.stringify(pathToFileURL(args.path).href),
        'import.meta.dirname': JSON.stringify(dirname(args.path)),
        'import.meta.filename': JSON.stringify(args.path),
      };
      try {
        const { code } = await build.esbuild.transform(source, { loader, format: 'esm', define, sourcefile: args.path });
        return { contents: code, loader: 'js' };
      } catch (error) {
        return { errors: error.errors };
      }
    });
  },
};

/**
 * Packages stay outside the copy. Those spikegrid's sources import are found from the copy, which
 * lies inside the package, as from the sources; those a model elsewhere imports are found from the
 * model, as Node would, and imported by path. `spikegrid` itself, imported by name, is the package
 * being compiled, and is compiled with it, also where the model's folder has none installed.
 */
const modelPackagesPlugin = {
  name: 'model-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('node:') || builtinModules.includes(args.path)) return undefined;
      const itself = args.path === 'spikegrid' || args.path.startsWith('spikegrid/');
      if (!itself && insidePackage(args.importer)) return { external: true };
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
      // A model in a folder where spikegrid is not installed: `spikegrid` is the package running it.
      if (found.errors.length && args.path === 'spikegrid') return { path: ownEntry() };
      if (found.errors.length) return { errors: found.errors };
      return insidePackage(found.path) ? { path: found.path } : { path: found.path, external: true };
    });
  },
};

/** The file `import 'spikegrid'` names, from the package's `exports`. */
function ownEntry() {
  return join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports['.']);
}

/** A file of spikegrid's own, rather than of a package it uses. */
function insidePackage(file) {
  return file.startsWith(root) && !file.startsWith(join(root, 'node_modules') + sep);
}

/**
 * Removes the indexes of models that are gone and those an older spikegrid wrote, then copies that
 * no index names and unfinished ones, made more than a day ago.
 */
function removeUnusedCopies() {
  const names = readdirSync(cache);
  const used = new Set();
  for (const name of names) {
    if (!name.startsWith('index-') || !name.endsWith('.json')) continue;
    try {
      const entry = JSON.parse(readFileSync(join(cache, name), 'utf8'));
      // An index of this package that its name no longer finds was written by an older spikegrid
      // (another file, another name); a checkout sharing this cache keeps its own.
      const superseded = (entry.root ?? root) === root && join(cache, name) !== indexFor(entry.model ?? undefined);
      if ((entry.model && !existsSync(entry.model)) || superseded) rmSync(join(cache, name), { force: true });
      else used.add(entry.copy);
    } catch {
      // An index being replaced.
    }
  }
  for (const name of names) {
    if (!name.startsWith('copy-') && !name.endsWith('.partial')) continue;
    if (used.has(name)) continue;
    const path = join(cache, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_COPY_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another command meanwhile.
    }
  }
}

function sha1(data) {
  return createHash('sha1').update(data).digest('hex');
}
