/**
 * Pools of partition threads. Every pool's threads load the thread script (`threadScript.ts`)
 * through `threadLoader.cjs`, and the pool sets how they compile (`threadCompilation.ts`). A
 * worker node starts each run on a pool whose threads have already started and loaded the engine,
 * and replaces it once the run is over: the old threads, and all the memory of the run, go with it.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { nativeKernelsPath } from '../src/engine/nativeKernels.ts';
import { compileFor } from './threadCompilation.ts';
import { threadScript } from './threadScript.ts';

const LOADER = fileURLToPath(new URL('./threadLoader.cjs', import.meta.url));

/** A pool of `threads` partition threads, one task each at a time; idle threads end after `idleTimeout` ms. */
export async function partitionPool(threads: number, idleTimeout: number): Promise<Piscina> {
  // A run keeps as many threads busy as the pool has: on a worker node, the main thread runs one
  // partition in place of a pool thread.
  compileFor(threads);
  const { url, execArgv } = await threadScript();
  return new Piscina({
    filename: LOADER,
    // The thread's bundled code does not lie beside the native addon: it is told where it is.
    workerData: { threadScript: url, nativeKernels: nativeKernelsPath() },
    execArgv,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout,
    concurrentTasksPerWorker: 1,
  });
}

/** A worker node's pool of `threads` threads, resolved once each has started and loaded the engine. */
export async function warmPool(threads: number): Promise<Piscina> {
  const pool = await partitionPool(threads, Infinity);
  await Promise.all(Array.from({ length: threads }, () => pool.run(null, { name: 'warm' })));
  return pool;
}
