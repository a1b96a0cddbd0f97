import type { ChunkSpikes } from '../engine/population.ts';

/**
 * One chunk of a run as recorders see it, already merged across partitions: the spikes of the
 * whole network in canonical order, and per trace monitor (in description order, spike monitors
 * included as null) its values, step-major over the monitor's whole slice.
 */
export interface ChunkRecord {
  readonly firstStep: number;
  readonly steps: number;
  readonly spikes: ChunkSpikes;
  readonly traces: readonly (Float64Array | null)[];
}
