/**
 * The seam between what users call (`net.run(…, { workers })`, `spikegrid run --workers` or
 * `--nodes`) and the coordinator that runs a network over worker threads or gRPC nodes. `src/`
 * never imports the coordinator; the package entry (`index.ts`) registers it explicitly.
 */
import { InternalError } from '../errors.ts';
import type { NetworkDescription } from '../ir/description.ts';
import type { RunOptions, RunStats } from './runLocal.ts';

export interface ThreadRunOptions extends RunOptions {
  /** Worker threads; default one per available core. */
  readonly workers?: number;
  /** Steps per monitor message (rounded up to whole chunks). */
  readonly batchSteps?: number;
  /** For tests of failure handling: this worker throws, or its thread exits, at the chunk that starts at `step`. */
  readonly injectFailure?: { worker: number; step: number; kind: 'throw' | 'exit' };
}

export type ThreadRunner = (description: NetworkDescription, options: ThreadRunOptions) => Promise<RunStats>;

let registered: ThreadRunner | null = null;

export function registerThreadRunner(runner: ThreadRunner): void {
  registered = runner;
}

export function threadRunner(): ThreadRunner {
  if (!registered) throw new InternalError('no thread runner registered: import spikegrid through its package entry (index.ts)');
  return registered;
}

/**
 * `onBuildProgress` hears from each node about once a second while it builds (the mean over all
 * partitions), and 1 once every node is ready.
 */
export interface NodeRunOptions extends Pick<ThreadRunOptions, 'steps' | 'recorders' | 'onProgress' | 'onBuildProgress' | 'batchSteps'> {
  /** host:port of each node; each hosts as many partitions as it has threads (`--threads`). */
  readonly nodes: readonly string[];
  /** The cluster's shared secret. */
  readonly token: string;
  /** PEM CA certificate: connect with TLS and check the nodes' certificates against it. */
  readonly tlsCa?: Buffer;
  /** How long a node may stay silent before the run fails [ms]. */
  readonly deadlineMs?: number;
}

export interface NodeRunStats extends RunStats {
  /** Spike bytes the coordinator sent per chunk, to all nodes together. */
  readonly bytes_per_chunk: number;
}

export type NodeRunner = (description: NetworkDescription, options: NodeRunOptions) => Promise<NodeRunStats>;

let registeredNodes: NodeRunner | null = null;

export function registerNodeRunner(runner: NodeRunner): void {
  registeredNodes = runner;
}

export function nodeRunner(): NodeRunner {
  if (!registeredNodes) throw new InternalError('no node runner registered: import spikegrid through its package entry (index.ts)');
  return registeredNodes;
}
