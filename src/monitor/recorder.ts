import type { NetworkDescription } from '../ir/description.ts';
import type { ChunkRecord } from './chunkRecord.ts';

/** What a recorder is told before the first chunk. */
export interface RunInfo {
  readonly description: NetworkDescription;
  /** Steps the run will take. */
  readonly steps: number;
}

/** Receives merged chunks in order; `finish` is called once after the last. */
export interface Recorder {
  /**
   * The bytes it will keep in this process's memory for `run`, if it keeps data that grows with
   * the run: the run counts them with the network's before anything is built (`checkNetworkFits`).
   */
  memoryNeeded?(run: RunInfo): number;
  begin(run: RunInfo): void;
  record(chunk: ChunkRecord): void;
  finish(): void;
}

/** The bytes `recorders` will keep in this process's memory for `run`. */
export function recordedBytes(recorders: readonly Recorder[], run: RunInfo): number {
  return recorders.reduce((sum, recorder) => sum + (recorder.memoryNeeded?.(run) ?? 0), 0);
}

/** The neurons [start, stop) of its population that monitor `monitorIndex` watches. */
export function sliceOf(description: NetworkDescription, monitorIndex: number): [number, number] {
  const monitor = description.monitors[monitorIndex];
  const population = description.populations.find((p) => p.name === monitor.target)!;
  return monitor.slice ?? [0, population.size];
}
