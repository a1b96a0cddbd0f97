import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { USAGE, parseRunArgs } from '../src/cli/args.ts';
// @ts-expect-error: plain JavaScript, run before any TypeScript loader
import { RUN_FLAGS_WITHOUT_VALUE, cacheDir, indexFor, modelFile } from '../bin/compiledCli.mjs';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'spikegrid.mjs');

function spikegrid(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

function run(model: string, out: string, env: Record<string, string> = {}) {
  const result = spikegrid(['run', model, '--t', '30', '--workers', '2', '--no-record', '--out', out], env);
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
}

/** The copy an index names, or null. */
function copyOf(model: string): string | null {
  const index = indexFor(model);
  return existsSync(index) ? JSON.parse(readFileSync(index, 'utf8')).copy : null;
}

/**
 * A model outside the package: a helper module of its own, a package from its own node_modules,
 * and a data file it reads from next to itself.
 */
function userProject(): { dir: string; model: string; helper: string } {
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-project-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-model', type: 'module' }));
  mkdirSync(join(dir, 'node_modules', 'rate-table'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'rate-table', 'package.json'), JSON.stringify({ name: 'rate-table', type: 'module', exports: './index.js' }));
  writeFileSync(join(dir, 'node_modules', 'rate-table', 'index.js'), 'export const weight = 0.2;\n');
  writeFileSync(join(dir, 'drive.json'), JSON.stringify({ rate: 8000 }));
  // `spikegrid` by name, as an installed package would be.
  symlinkSync(root, join(dir, 'node_modules', 'spikegrid'));
  const helper = join(dir, 'sizes.ts');
  writeFileSync(helper, 'export const size: number = 40;\n');
  const model = join(dir, 'model.ts');
  writeFileSync(
    model,
    [
      "import { nn } from 'spikegrid';",
      "import { readFileSync } from 'node:fs';",
      "import { weight } from 'rate-table';",
      "import { size } from './sizes.ts';",
      "const { rate } = JSON.parse(readFileSync(new URL('./drive.json', import.meta.url), 'utf8'));",
      'export default class Net extends nn.SNet {',
      '  setup() {',
      "    this.E = new nn.LIF({ name: 'E', size, E_L: 0, V_th: 20, V_reset: 10, tau_m: 20, C_m: 1, t_ref: 2, v_init: new nn.Uniform(0, 20) });",
      "    this.drive = new nn.PoissonGenerator({ name: 'drive', size, rate });",
      '    this.input = new nn.StaticSynapse({ pre: this.drive, post: this.E, conn: new nn.One2One(), weight, delay: 0.5 });',
      '    this.recurrent = new nn.StaticSynapse({ pre: this.E, post: this.E, conn: new nn.FixedProb(0.2), weight: 0.5, delay: 1 });',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return { dir, model, helper };
}

test('the MODEL the compiled copy is made for is the one the CLI parses, for every option that takes no value', (t) => {
  const withoutValue = [...USAGE.matchAll(/\[(--[a-z-]+)\]/g)].map((m) => m[1]);
  t.deepEqual([...RUN_FLAGS_WITHOUT_VALUE].sort(), withoutValue.sort());
  const model = join(root, 'examples', 'cuba.ts');
  const argvs = [
    ['run', model, '--t', '10'],
    ['run', '--t', '10', model],
    ['run', '--no-record', '--t', '10', '--set', 'n=40', model, '--no-progress'],
    ['run', '--no-progress', '--out', 'x', '--trace', 'E.v', model, '--t', '10'],
  ];
  for (const argv of argvs) t.is(modelFile(argv), resolve(parseRunArgs(argv.slice(1)).model), argv.join(' '));
  t.is(modelFile(['run', join(root, 'net.json'), '--t', '1']), undefined, 'a JSON description needs no compiling');
  t.is(modelFile(['sql', 'out', 'SELECT 1']), undefined);
  t.is(modelFile(['run', 'nowhere.ts', '--t', '1']), null, 'a missing model is left for the CLI to report');
  t.is(modelFile(['run', '--t']), null);
});

test('a model with its own modules and packages runs compiled as through tsx, and a changed source is compiled again', (t) => {
  const { dir, model, helper } = userProject();
  const compiled = run(model, join(dir, 'a'));
  const copy = copyOf(model);
  t.truthy(copy, 'the model has an index');
  t.true(existsSync(join(cacheDir, copy!, 'thread.js')));
  const throughTsx = run(model, join(dir, 'b'), { SPIKEGRID_COMPILE: '0' });
  t.is(compiled.spikes_sha256, throughTsx.spikes_sha256);
  t.true(compiled.spikes > 0);
  t.is(compiled.populations.E.size, 40);

  // The same sources: the same copy.
  run(model, join(dir, 'c'));
  t.is(copyOf(model), copy);

  // A changed helper module: a new copy, and the run sees the change.
  writeFileSync(helper, 'export const size: number = 60;\n');
  const changed = run(model, join(dir, 'd'));
  t.is(changed.populations.E.size, 60);
  t.not(copyOf(model), copy);
  t.is(changed.spikes_sha256, run(model, join(dir, 'e'), { SPIKEGRID_COMPILE: '0' }).spikes_sha256);

  // The data file is read from next to the model, not from the cache, and needs no compiling.
  const newCopy = copyOf(model);
  writeFileSync(join(dir, 'drive.json'), JSON.stringify({ rate: 0 }));
  const silent = run(model, join(dir, 'f'));
  t.is(silent.spikes, 0);
  t.is(copyOf(model), newCopy);
  rmSync(dir, { recursive: true, force: true });
});

test('compiling drops the indexes of models that are gone, and copies no index names once they are a day old', (t) => {
  const gone = userProject();
  run(gone.model, join(gone.dir, 'a'));
  const goneIndex = indexFor(gone.model);
  t.true(existsSync(goneIndex));
  rmSync(gone.dir, { recursive: true, force: true });

  const old = join(cacheDir, 'copy-0000000000000000');
  const recent = join(cacheDir, 'copy-1111111111111111');
  // The copy of an index that an older spikegrid wrote (no root, a name this one does not give),
  // and that of another checkout sharing this cache.
  const superseded = join(cacheDir, 'copy-2222222222222222');
  const otherCheckouts = join(cacheDir, 'copy-3333333333333333');
  for (const dir of [old, recent, superseded, otherCheckouts]) mkdirSync(dir, { recursive: true });
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  for (const dir of [old, superseded, otherCheckouts]) utimesSync(dir, twoDaysAgo, twoDaysAgo);
  const supersededIndex = join(cacheDir, 'index-2222222222222222.json');
  const otherIndex = join(cacheDir, 'index-3333333333333333.json');
  writeFileSync(supersededIndex, JSON.stringify({ copy: basename(superseded), model: null, inputs: {} }));
  writeFileSync(otherIndex, JSON.stringify({ copy: basename(otherCheckouts), model: null, root: '/another/checkout/', inputs: {} }));

  const next = userProject();
  run(next.model, join(next.dir, 'a'));
  t.false(existsSync(goneIndex));
  t.false(existsSync(old));
  t.true(existsSync(recent), 'a copy made less than a day ago may be in use');
  t.true(readdirSync(cacheDir).includes(copyOf(next.model)!));
  t.false(existsSync(supersededIndex), 'an index an older spikegrid wrote');
  t.false(existsSync(superseded));
  t.true(existsSync(otherIndex), 'another checkout\'s index');
  t.true(existsSync(otherCheckouts));
  for (const path of [recent, otherIndex, otherCheckouts]) rmSync(path, { recursive: true, force: true });
  rmSync(next.dir, { recursive: true, force: true });
});

test('two checkouts that share one node_modules keep separate indexes, so neither runs the other\'s compiled sources', async (t) => {
  // A second checkout: this compiledCli.mjs in another folder, whose node_modules links to ours.
  const other = mkdtempSync(join(tmpdir(), 'spikegrid-checkout-'));
  mkdirSync(join(other, 'bin'));
  writeFileSync(join(other, 'bin', 'compiledCli.mjs'), readFileSync(join(root, 'bin', 'compiledCli.mjs')));
  symlinkSync(join(root, 'node_modules'), join(other, 'node_modules'));
  try {
    const theirs = await import(pathToFileURL(join(other, 'bin', 'compiledCli.mjs')).href);
    for (const model of [undefined, join(root, 'examples', 'seed.ts')]) {
      const [mine, their] = [indexFor(model), theirs.indexFor(model) as string];
      t.is(realpathSync(dirname(their)), realpathSync(dirname(mine)), 'one cache');
      t.not(basename(their), basename(mine), `model ${model}`);
    }
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

test('a model that does not compile is reported with the place and the reason, exit code 2', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-broken-'));
  const cases: Array<[string, string, RegExp]> = [
    ['syntax.ts', 'export default class {\n', /syntax\.ts:2:0: Expected identifier but found end of file/],
    ['missing.ts', "import { nn } from 'no-such-package';\nexport default nn;\n", /missing\.ts:1:19: Could not resolve "no-such-package"/],
  ];
  for (const [name, source, reason] of cases) {
    const model = join(dir, name);
    writeFileSync(model, source);
    const result = spikegrid(['run', model, '--t', '10']);
    t.is(result.status, 2, name);
    t.true(result.stderr.startsWith(`spikegrid: MODEL ${model} does not compile:\n`), result.stderr);
    t.regex(result.stderr, reason);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('a model in a folder without spikegrid installed imports it by name, and an error it throws points at its own line', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-bare-'));
  const model = join(dir, 'bare.ts');
  const setup = (body: string) => [
    "import { nn } from 'spikegrid';",
    'export default class Bare extends nn.SNet {',
    '  setup(): void {',
    `    ${body}`,
    '  }',
    '}',
    '',
  ].join('\n');
  writeFileSync(model, setup("this.E = new nn.LIF({ name: 'E', size: 10, I_e: 400 });"));
  const ok = spikegrid(['run', model, '--t', '20', '--workers', '1']);
  t.is(ok.status, 0, ok.stderr);
  t.regex(ok.stdout, /^20 ms on 1 worker in /m);

  writeFileSync(model, setup("throw new Error('the model is broken');"));
  const broken = spikegrid(['run', model, '--t', '20', '--workers', '1']);
  t.not(broken.status, 0);
  t.regex(broken.stderr, /Error: the model is broken/);
  t.true(broken.stderr.includes(`${model}:4:`), broken.stderr);
  rmSync(dir, { recursive: true, force: true });
});

test('through tsx too, a model whose import cannot be found says so, rather than that the model does not exist', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-import-'));
  const model = join(dir, 'model.mjs');
  writeFileSync(model, "import { weight } from 'no-such-package';\nexport default weight;\n");
  const result = spikegrid(['run', model, '--t', '10'], { SPIKEGRID_COMPILE: '0' });
  t.is(result.status, 2);
  t.regex(result.stderr, /^spikegrid: MODEL .*model\.mjs imports what cannot be found: Cannot find package 'no-such-package'/);
  rmSync(dir, { recursive: true, force: true });
});
