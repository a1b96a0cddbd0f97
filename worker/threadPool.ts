/**
 * The thread pool a worker node runs its partitions on. A node starts each run on a pool whose
 * threads have already started and loaded the engine, and replaces it once the run is over: the old
 * threads, and all the memory of the run, go with it.
 */
import { Piscina } from 'piscina';
import { compileOnOwnThread } from './compileOnOwnThread.ts';
import { threadScript } from './threadScript.ts';

/** A pool of `threads` threads, resolved once each has started and loaded the engine. */
export async function warmPool(threads: number): Promise<Piscina> {
  compileOnOwnThread();
  const pool = new Piscina({ ...(await threadScript()), minThreads: threads, maxThreads: threads, idleTimeout: Infinity, concurrentTasksPerWorker: 1 });
  await Promise.all(Array.from({ length: threads }, () => pool.run(null, { name: 'warm' })));
  return pool;
}
