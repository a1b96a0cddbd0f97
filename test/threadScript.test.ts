import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { threadOptions, threadScript } from '../worker/threadScript.ts';

/** What piscina calls on a thread. */
const TASKS = ['buildTables', 'default', 'runNodePartition', 'warm'];

test('worker threads load one bundled JavaScript file, without a TypeScript loader', async (t) => {
  const { url, execArgv } = await threadScript();
  t.true(url.endsWith('.mjs') && !url.endsWith('threadEntry.mjs'), `threads load ${url}`);
  t.true(existsSync(fileURLToPath(url)));
  t.true(process.execArgv.some((a) => a.includes('tsx')), 'the tests run under node --import=tsx');
  t.true(execArgv !== undefined && !execArgv.some((a) => a.includes('tsx')), `thread options ${execArgv?.join(' ')}`);
  // A bare thread (no loader at all) can load it and finds the tasks piscina calls.
  t.deepEqual(await tasksOf(url), TASKS);
});

test('the fallback entry, which compiles the sources under tsx, offers the same tasks', async (t) => {
  t.deepEqual(await tasksOf(new URL('../worker/threadEntry.mjs', import.meta.url).href), TASKS);
});

/** The names a thread script exports, as a fresh thread with no loader of its own sees them. */
function tasksOf(script: string): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const worker = new Worker(`import(${JSON.stringify(script)}).then((m) => require('node:worker_threads').parentPort.postMessage(Object.keys(m).sort()))`, { eval: true, execArgv: [] });
    worker.once('message', (keys: string[]) => void worker.terminate().then(() => resolve(keys)));
    worker.once('error', reject);
  });
}

test('threads drop a tsx loader only when it is all the parent was given, and inherit anything else', (t) => {
  t.deepEqual(threadOptions(['--import=tsx']), []);
  t.deepEqual(threadOptions(['--import', 'tsx']), []);
  t.deepEqual(threadOptions(['--loader=tsx/esm']), []);
  t.is(threadOptions([]), undefined);
  t.is(threadOptions(['--import=tsx', '--max-old-space-size=4096']), undefined);
  t.is(threadOptions(['--enable-source-maps']), undefined);
  t.deepEqual(threadOptions(['--import=tsx', '--enable-source-maps']), ['--enable-source-maps']);
});

test('threads drop the options that give the parent its program text (--input-type, -e, -p)', (t) => {
  t.deepEqual(threadOptions(['--input-type=module', '-e', 'code']), []);
  t.deepEqual(threadOptions(['--import', 'tsx', '--input-type', 'module', '--eval', 'code']), []);
  t.deepEqual(threadOptions(['-pe', 'code', '--no-warnings']), ['--no-warnings']);
  t.is(threadOptions(['--input-type=module', '--max-old-space-size=4096', '-e', 'code']), undefined);
});

test('a run on threads works from `node --input-type=module -e`', (t) => {
  const code = `import { nn, normalizeDescription } from ${JSON.stringify(new URL('../index.ts', import.meta.url).href)};
    import { runThreads } from ${JSON.stringify(new URL('../coordinator/runThreads.ts', import.meta.url).href)};
    import brunel from ${JSON.stringify(new URL('../examples/brunel.ts', import.meta.url).href)};
    const description = normalizeDescription(nn.describeNetwork(new (brunel({ scale: 0.05 }))()));
    const stats = await runThreads(description, { steps: 200, workers: 2 });
    console.log('workers', stats.workers, 'spikes', stats.spikes);`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 120_000 });
  t.regex(out, /^workers 2 spikes [1-9]\d*$/m);
});

test('a run on threads works under Node options that threads may only inherit (--max-old-space-size)', (t) => {
  const out = execFileSync(process.execPath, ['--max-old-space-size=2048', fileURLToPath(new URL('../bin/spikegrid.mjs', import.meta.url)),
    'run', fileURLToPath(new URL('../examples/brunel.ts', import.meta.url)), '--t', '20', '--set', 'scale=0.05', '--workers', '2', '--no-record'], { encoding: 'utf8' });
  t.regex(out, /on 2 workers/);
});

/** What `threadScript()` gives in a fresh process whose temporary directory is `tmp`. */
function scriptIn(tmp: string): string {
  const code = `import { threadScript } from ${JSON.stringify(new URL('../worker/threadScript.ts', import.meta.url).href)}; console.log((await threadScript()).url);`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, TMPDIR: tmp }, encoding: 'utf8' }).trim();
}

test('a bundle directory others can write is not used, and a planted file is replaced by the real bundle', (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'spikegrid-tmp-'));
  const dir = join(tmp, `spikegrid-threads-${process.getuid!()}`);
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  t.true(scriptIn(tmp).endsWith('worker/threadEntry.mjs'), 'falls back to the tsx entry');

  chmodSync(dir, 0o700);
  const bundle = fileURLToPath(scriptIn(tmp));
  const real = readFileSync(bundle);
  writeFileSync(bundle, 'export default () => "planted";');
  t.is(fileURLToPath(scriptIn(tmp)), bundle);
  t.true(readFileSync(bundle).equals(real), 'the planted file was rewritten with the bundle');
});

const LOADER = fileURLToPath(new URL('../worker/threadLoader.cjs', import.meta.url));

test('the CommonJS loader that threads start from offers every task the thread script exports', async (t) => {
  const { url } = await threadScript();
  const keys = await new Promise<string[]>((resolve, reject) => {
    const code = `const tasks = require(${JSON.stringify(LOADER)}); require('node:worker_threads').parentPort.postMessage(Object.keys(tasks).filter((k) => k !== '__esModule').sort())`;
    const worker = new Worker(code, { eval: true, execArgv: [], workerData: { threadScript: url } });
    worker.once('message', (names: string[]) => void worker.terminate().then(() => resolve(names)));
    worker.once('error', reject);
  });
  t.deepEqual(keys, TASKS);
});

/** Runs `code` in a fresh process, as a module in `dir` that has `partitionPool`, with `script` as the thread script. */
function withPools(dir: string, script: string, code: string) {
  const driver = join(dir, 'driver.mjs');
  writeFileSync(driver, `import { useThreadScript } from ${JSON.stringify(new URL('../worker/threadScript.ts', import.meta.url).href)};
    import { partitionPool } from ${JSON.stringify(new URL('../worker/threadPool.ts', import.meta.url).href)};
    useThreadScript(${JSON.stringify(script)});
    ${code}`);
  return spawnSync(process.execPath, ['--import', 'tsx', driver], { encoding: 'utf8', timeout: 120_000 });
}

test('a thread script that fails to load fails the tasks with its own error', (t) => {
  const missing = pathToFileURL(join(tmpdir(), 'spikegrid-no-such-thread-script.mjs')).href;
  const run = withPools(mkdtempSync(join(tmpdir(), 'spikegrid-pool-')), missing, `
    const pool = await partitionPool(1, 1000);
    await pool.run(null, { name: 'warm' }).then(() => console.log('resolved'), (error) => console.log(error.message));
    await pool.destroy();`);
  t.regex(run.stdout, /Cannot find module '.*spikegrid-no-such-thread-script\.mjs'/);
});

test('a pool destroyed while its threads still load their script ends them, and the process goes on', (t) => {
  // A script whose one import binds 40 000 names takes tens of milliseconds to link, so pools
  // destroyed 0–200 ms after they start catch their threads there. Node 20 aborted the process when
  // a thread loaded with require() was terminated while linking.
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-slow-link-'));
  const names = Array.from({ length: 40_000 }, (_, i) => `x${i}`);
  writeFileSync(join(dir, 'names.mjs'), names.map((n, i) => `export const ${n} = ${i};`).join('\n'));
  writeFileSync(join(dir, 'thread.mjs'), `import { ${names.join(', ')} } from './names.mjs';\nexport async function warm() { return x0 + x39999; }\n`);
  const run = withPools(dir, pathToFileURL(join(dir, 'thread.mjs')).href, `
    for (let delay = 0; delay < 200; delay += 4) {
      const pool = await partitionPool(2, 1000);
      await new Promise((resolve) => setTimeout(resolve, delay));
      await pool.destroy();
    }
    const pool = await partitionPool(1, 1000);
    console.log('warm', await pool.run(null, { name: 'warm' }));
    await pool.destroy();`);
  t.is(run.status, 0, run.stderr.slice(0, 400));
  t.regex(run.stdout, /^warm 39999$/m);
});
