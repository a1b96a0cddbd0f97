/**
 * How many slots each input ring of a partition's populations holds (see `RingSlots`), from the
 * synapses the partition holds: the longest delay into the ring, plus the slot being read.
 *
 * A ring's length changes no sum, since each slot is read and cleared at its own step, so
 * partitions may size their rings differently. Sizing each ring by its own synapses rather than by
 * the network's longest possible delay keeps the rings delivery scatters into small: in the
 * cortical microcircuit, inhibitory delays are half the excitatory ones, and both stay well below
 * the bound of their distribution.
 *
 * A population whose synaptic input all comes in arrival order (`arrivalDelivery.ts`) needs only
 * a chunk's slots, which each chunk boundary fills: rings that small stay in the cache.
 */
import type { NetworkDescription } from '../ir/description.ts';
import type { Receptor, WeightSigns } from './connectivity/delivery.ts';
import type { SynapseTable } from './connectivity/synapseTable.ts';
import type { RingSlots } from './population.ts';

/**
 * Per population, in description order. For projection i: `tables[i]` its synapses, `receptors[i]`
 * the input it feeds, `signs[i]` what `weightSigns` says of its table. Per population,
 * `arrivalRings[p]`: whether its synaptic input all comes in arrival order (`arrivalGroups`), with
 * chunks of `chunkSteps` steps.
 */
export function ringSlotsOf(
  description: NetworkDescription, tables: readonly SynapseTable[], receptors: readonly Receptor[], signs: readonly WeightSigns[],
  arrivalRings: readonly boolean[], chunkSteps: number,
): RingSlots[] {
  const longest = description.populations.map(() => ({ positive: 0, negative: 0, current: 0 }));
  const post = new Map(description.populations.map((p, index) => [p.name, index]));
  description.projections.forEach((projection, index) => {
    const table = tables[index];
    if (table.count === 0) return;
    const rings = longest[post.get(projection.post)!];
    if (receptors[index] === 'current') {
      rings.current = Math.max(rings.current, table.maxDelay);
      return;
    }
    if (signs[index] !== 'negative') rings.positive = Math.max(rings.positive, table.maxDelay);
    if (signs[index] !== 'positive') rings.negative = Math.max(rings.negative, table.maxDelay);
  });
  return longest.map((l, p) => arrivalRings[p]
    ? { positive: chunkSteps, negative: chunkSteps, current: l.current + 1 }
    : { positive: l.positive + 1, negative: l.negative + 1, current: l.current + 1 });
}
