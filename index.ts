/**
 * The package entry: spikegrid's public API, with the coordinators registered so that
 * `net.run(…, { workers })`, `spikegrid run --workers` and `--nodes` can use them.
 */
import { registerNodeRunner, registerThreadRunner } from './src/run/runners.ts';
import { runThreads } from './coordinator/runThreads.ts';
import { runNodes } from './coordinator/runNodes.ts';

registerThreadRunner(runThreads);
registerNodeRunner(runNodes);

export * from './src/index.ts';
export { planPartitions } from './coordinator/planPartitions.ts';
export { runThreads, WorkerError } from './coordinator/runThreads.ts';
export { runNodes, NodeError } from './coordinator/runNodes.ts';
export { startNode } from './worker/grpcNode.ts';
