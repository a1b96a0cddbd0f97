/**
 * The partition plan: which neurons each worker owns. Every worker gets a contiguous, balanced slice
 * of every population (sizes differ by at most one), so each population's work is spread evenly
 * whatever the mix of populations. A pure function of the description and the worker count.
 */
import type { PartitionPlan } from '../src/engine/layout.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import { requireInteger } from '../src/ir/checks.ts';

export function planPartitions(description: NetworkDescription, workers: number): PartitionPlan[] {
  requireInteger('planPartitions', 'workers', workers, 1);
  return Array.from({ length: workers }, (_, w) => ({
    index: w,
    slices: description.populations.map((p) => ({ start: Math.floor((p.size * w) / workers), stop: Math.floor((p.size * (w + 1)) / workers) })),
  }));
}
