/**
 * The package entry: spikegrid's public API, with the worker-thread coordinator registered so that
 * `net.run(…, { workers })` and `spikegrid run --workers` can use it.
 */
import { registerThreadRunner } from './src/run/threadRunner.ts';
import { runThreads } from './coordinator/runThreads.ts';

registerThreadRunner(runThreads);

export * from './src/index.ts';
export { planPartitions } from './coordinator/planPartitions.ts';
export { runThreads, WorkerError } from './coordinator/runThreads.ts';
