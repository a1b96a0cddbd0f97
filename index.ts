/**
 * The package entry: spikegrid's public API, with the coordinators registered so that
 * `net.run(…, { workers })`, `spikegrid run --workers` and `--nodes` can use them.
 *
 * gRPC takes ≈ 0.2 s to load, so the node coordinator and the worker node are loaded by the first
 * call that needs them rather than with the package.
 */
import { registerNodeRunner, registerThreadRunner, type NodeRunOptions, type NodeRunStats } from './src/run/runners.ts';
import type { NetworkDescription } from './src/ir/description.ts';
import type { NodeOptions, RunningNode } from './worker/grpcNode.ts';
import { runThreads } from './coordinator/runThreads.ts';

/** Runs a network over `spikegrid worker` nodes (see `coordinator/runNodes.ts`). */
export async function runNodes(description: NetworkDescription, options: NodeRunOptions): Promise<NodeRunStats> {
  return (await import('./coordinator/runNodes.ts')).runNodes(description, options);
}

/** Starts a worker node in this process (see `worker/grpcNode.ts`). */
export async function startNode(options: NodeOptions): Promise<RunningNode> {
  return (await import('./worker/grpcNode.ts')).startNode(options);
}

registerThreadRunner(runThreads);
registerNodeRunner(runNodes);

export * from './src/index.ts';
export { planPartitions } from './coordinator/planPartitions.ts';
export { runThreads, WorkerError } from './coordinator/runThreads.ts';
export { NodeError } from './coordinator/nodeError.ts';
