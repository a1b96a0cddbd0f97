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
  begin(run: RunInfo): void;
  record(chunk: ChunkRecord): void;
  finish(): void;
}

/** The neurons [start, stop) of its population that monitor `monitorIndex` watches. */
export function sliceOf(description: NetworkDescription, monitorIndex: number): [number, number] {
  const monitor = description.monitors[monitorIndex];
  const population = description.populations.find((p) => p.name === monitor.target)!;
  return monitor.slice ?? [0, population.size];
}
