/**
 * Where every neuron lives. Global ids (gids) lay the populations out in creation order; a
 * partition owns a contiguous slice of every population.
 */
import type { NetworkDescription } from '../ir/description.ts';

export interface PopulationSlice {
  /** First and one-past-last neuron index within the population that this partition owns. */
  readonly start: number;
  readonly stop: number;
}

/** Which neurons one partition owns: one slice per population, in description order. */
export interface PartitionPlan {
  readonly index: number;
  readonly slices: readonly PopulationSlice[];
}

/** The plan of a run with a single partition: everything. */
export function wholeNetwork(description: NetworkDescription): PartitionPlan {
  return { index: 0, slices: description.populations.map((p) => ({ start: 0, stop: p.size })) };
}

/** Neurons a partition owns, over all populations. */
export function ownedNeurons(plan: PartitionPlan): number {
  return plan.slices.reduce((n, s) => n + s.stop - s.start, 0);
}

/** Neurons of the whole network. */
export function totalNeurons(description: NetworkDescription): number {
  return description.populations.reduce((n, p) => n + p.size, 0);
}

/** gid of the first neuron of each population, plus the total at the end. */
export function populationOffsets(description: NetworkDescription): Uint32Array {
  const offsets = new Uint32Array(description.populations.length + 1);
  description.populations.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.size));
  return offsets;
}
