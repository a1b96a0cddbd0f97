/**
 * The incoming synapses of one projection into the targets a partition owns, stored by source:
 * `rowStart[source]..rowEnd[source]` index `targets`, `weights`, `delays`. A table of its own keeps
 * its rows one after another (CSR: `rowEnd` is `rowStart` shifted by one); tables that share their
 * arrays with other projections from the same source population keep each source's rows of all of
 * them together (`sourceGroups.ts`).
 *
 * Within a row, synapses keep the order in which the rule emitted them; that order is the same in
 * every partition, so the canonical delivery order (emit step, source gid, synapse index) adds the
 * same numbers in the same order however the network is split. Weights and delays that are the
 * same for every synapse are stored once.
 */
import { synapticArrayLike, type SynapticArray } from '../precision.ts';
import type { ConnectionList } from './connectionList.ts';
import type { ConnectionRows } from './rules.ts';

export interface SynapseTable {
  readonly nSources: number;
  /** Where each source's row begins in the arrays below. */
  readonly rowStart: Uint32Array;
  /** Where each source's row ends. */
  readonly rowEnd: Uint32Array;
  /**
   * Target index local to the partition's slice of the post population: 16-bit when the slice has
   * at most 65536 neurons, which halves the bytes delivery streams through.
   */
  readonly targets: Uint16Array | Uint32Array;
  /** Per-synapse weights, in the network's precision, or null when every synapse has `weight`. */
  readonly weights: SynapticArray | null;
  readonly weight: number;
  /** Per-synapse delays [steps], or null when every synapse has `delay`. */
  readonly delays: Uint16Array | null;
  readonly delay: number;
  /** Largest delay in this table [steps] (0 when it holds no synapse). */
  readonly maxDelay: number;
  /** Synapses in this table (the arrays may hold other tables' too). */
  readonly count: number;
}

/** Bytes per target index in a table for a slice of `nTargets` (see `SynapseTable.targets`). */
export function targetIndexBytes(nTargets: number): 2 | 4 {
  return nTargets <= 65536 ? 2 : 4;
}

/**
 * Sorts a rule's connections into rows by source (a counting sort, stable, so each row keeps the
 * rule's order). `weights` and `delays` hold one value per connection, in the list's order, or are
 * null when every synapse has `weight` or `delay`. Targets become local to the slice from `start`.
 */
export function sortBySource(
  list: ConnectionList, nSources: number, start: number, nTargets: number,
  weights: SynapticArray | null, weight: number, delays: Uint16Array | null, delay: number,
): SynapseTable {
  const n = list.size;
  const { sources: sourceOf, targets: targetOf } = list;
  const rowStart = new Uint32Array(nSources + 1);
  for (let k = 0; k < n; k++) rowStart[sourceOf[k] + 1]++;
  for (let s = 0; s < nSources; s++) rowStart[s + 1] += rowStart[s];
  const fill = rowStart.slice(0, nSources);
  const targets = targetIndexBytes(nTargets) === 2 ? new Uint16Array(n) : new Uint32Array(n);
  const sortedWeights = weights ? synapticArrayLike(weights, n) : null;
  const sortedDelays = delays ? new Uint16Array(n) : null;
  for (let k = 0; k < n; k++) {
    const at = fill[sourceOf[k]]++;
    targets[at] = targetOf[k] - start;
    if (sortedWeights) sortedWeights[at] = weights![k];
    if (sortedDelays) sortedDelays[at] = delays![k];
  }
  return { nSources, rowStart, rowEnd: rowStart.subarray(1), targets, weights: sortedWeights, weight, delays: sortedDelays, delay, maxDelay: largestDelay(n, sortedDelays, delay), count: n };
}

/**
 * A table from connections drawn in its order already (`fixedProbRows`), with `weights` and
 * `delays` in that order too (or null when every synapse has `weight` or `delay`).
 */
export function tableFromRows(rows: ConnectionRows, weights: SynapticArray | null, weight: number, delays: Uint16Array | null, delay: number): SynapseTable {
  const n = rows.count;
  // Rows are drawn into room for a little more than expected: keep only what was drawn.
  const targets = rows.targets.length === n ? rows.targets : rows.targets.slice(0, n);
  const nSources = rows.rowStart.length - 1;
  return { nSources, rowStart: rows.rowStart, rowEnd: rows.rowStart.subarray(1), targets, weights, weight, delays, delay, maxDelay: largestDelay(n, delays, delay), count: n };
}

function largestDelay(n: number, delays: Uint16Array | null, delay: number): number {
  if (n === 0) return 0;
  if (delays === null) return delay;
  let largest = 0;
  for (let k = 0; k < n; k++) if (delays[k] > largest) largest = delays[k];
  return largest;
}
