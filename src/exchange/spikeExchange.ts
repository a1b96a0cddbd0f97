/**
 * How a partition thread trades spikes with the rest of the run, once per chunk:
 *
 *   share(own spikes) → wait (the barrier) → received() = every partition's spikes, canonical order
 *
 * On one machine the threads of a run trade among themselves (`PeerExchange`); inside a worker
 * node they trade through the node's main thread, which speaks to the coordinator
 * (`RelayThreadSide`). The partition's loop is the same either way.
 */
import type { ChunkSpikes } from '../engine/population.ts';

export interface SpikeExchange {
  /** Publishes this partition's spikes of `chunk`. */
  share(chunk: number, spikes: ChunkSpikes): void;
  /**
   * Blocks until every partition's spikes of `chunk` are available; throws `PeerAborted` on abort.
   * Meanwhile it calls `idle`, which does a few microseconds of later work, until that says it has
   * none left.
   */
  wait(chunk: number, idle?: () => boolean): void;
  /** Every partition's spikes of the chunk just waited for, in canonical order. */
  received(chunk: number): ChunkSpikes;
  /** Where this partition stands, for error messages about a thread that died. */
  setProgress(step: number): void;
  /** Ends the run for everyone. */
  abort(): void;
}
