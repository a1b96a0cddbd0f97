/**
 * What a worker thread offers piscina: a partition of a run on one machine (the default export), a
 * partition hosted by a worker node (`runNodePartition`), or the synapse tables of the partition a
 * worker node runs on its main thread (`buildTables`); `warm` does nothing, for a pool to start its
 * threads before they are needed. Threads load it as one bundled file (`threadScript.ts`), and use
 * the native kernels that the thread which started the pool uses (`nativeKernels.ts`).
 */
import { workerData } from 'node:worker_threads';
import { useNativeKernels } from '../src/engine/nativeKernels.ts';

// A pool says which addon its threads load (`threadPool.ts`); a thread started otherwise finds its own.
const fromPool = workerData as { nativeKernels?: string | null } | null;
if (fromPool?.nativeKernels !== undefined) useNativeKernels(fromPool.nativeKernels);

export { runPeerPartition as default, runNodePartition } from './partitionThread.ts';
export { buildTables } from './tableBuilder.ts';

export async function warm(): Promise<void> {}
