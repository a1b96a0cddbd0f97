/**
 * The seam between what users call (`net.run(…, { workers })`, `spikegrid run --workers`) and the
 * coordinator that runs a network over worker threads. `src/` never imports the coordinator; the
 * package entry (`index.ts`) registers it explicitly.
 */
import { InternalError } from '../errors.ts';
import type { NetworkDescription } from '../ir/description.ts';
import type { PartitionSummary } from '../exchange/messages.ts';
import type { Recorder } from '../monitor/recorder.ts';
import type { RunStats } from './runLocal.ts';

export interface ThreadRunOptions {
  readonly steps: number;
  /** Worker threads; default one per available core. */
  readonly workers?: number;
  readonly recorders?: readonly Recorder[];
  readonly onProgress?: (stepsDone: number, stepsTotal: number) => void;
  /** Steps per monitor message (rounded up to whole chunks). */
  readonly batchSteps?: number;
  /** For tests of failure handling: this worker throws, or its thread exits, at the chunk that starts at `step`. */
  readonly injectFailure?: { worker: number; step: number; kind: 'throw' | 'exit' };
}

export interface ThreadRunStats extends RunStats {
  readonly per_worker: readonly PartitionSummary[];
}

export type ThreadRunner = (description: NetworkDescription, options: ThreadRunOptions) => Promise<ThreadRunStats>;

let registered: ThreadRunner | null = null;

export function registerThreadRunner(runner: ThreadRunner): void {
  registered = runner;
}

export function threadRunner(): ThreadRunner {
  if (!registered) throw new InternalError('no thread runner registered: import spikegrid through its package entry (index.ts)');
  return registered;
}
