/**
 * The property of the network that fixes the arithmetic of every run, whatever the worker count:
 * the scan chunk length.
 */
import type { NetworkDescription } from '../ir/description.ts';
import { delayBounds } from '../ir/delayBounds.ts';

/** Chunk length when no neuron feeds another (nothing to exchange) [steps]. */
export const DEFAULT_CHUNK_STEPS = 100;

/**
 * The scan chunk length L: the smallest delay over projections whose source is a neuron population.
 * No spike emitted inside a chunk is needed by anyone before the chunk ends.
 */
export function chunkSteps(description: NetworkDescription): number {
  const populations = new Set(description.populations.map((p) => p.name));
  let smallest = Infinity;
  for (const projection of description.projections) {
    if (!populations.has(projection.pre)) continue;
    const [min] = delayBounds(projection.delay_step);
    if (min < smallest) smallest = min;
  }
  return Number.isFinite(smallest) ? smallest : DEFAULT_CHUNK_STEPS;
}
