import test from 'ava';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { threadScript } from '../worker/threadScript.ts';

test('worker threads load one bundled JavaScript file, without a TypeScript loader', async (t) => {
  const { filename, execArgv } = await threadScript();
  t.true(filename.endsWith('.mjs') && !filename.endsWith('threadEntry.mjs'), `threads load ${filename}`);
  t.true(existsSync(fileURLToPath(filename)));
  t.true(process.execArgv.some((a) => a.includes('tsx')), 'the tests run under node --import=tsx');
  t.false(execArgv.some((a) => a.includes('tsx')), `thread options ${execArgv.join(' ')}`);
  // A bare thread (no loader at all) can load it and finds the tasks piscina calls.
  t.deepEqual(await tasksOf(filename), ['buildTables', 'default', 'runNodePartition', 'warm']);
});

test('the fallback entry, which compiles the sources under tsx, offers the same tasks', async (t) => {
  t.deepEqual(await tasksOf(new URL('../worker/threadEntry.mjs', import.meta.url).href), ['buildTables', 'default', 'runNodePartition', 'warm']);
});

/** The names a thread script exports, as a fresh thread with no loader of its own sees them. */
function tasksOf(script: string): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const worker = new Worker(`import(${JSON.stringify(script)}).then((m) => require('node:worker_threads').parentPort.postMessage(Object.keys(m).sort()))`, { eval: true, execArgv: [] });
    worker.once('message', (keys: string[]) => void worker.terminate().then(() => resolve(keys)));
    worker.once('error', reject);
  });
}
