/**
 * Asking for the next spike's rows while this one's are delivered (`native/rowPrefetch.c`). The
 * rows of consecutive spikes lie far apart in memory, so each row's delivery would begin by waiting
 * for its first cache lines; told which source comes a little later, the addon asks for its rows'
 * lines ahead of time. It reads nothing but the row bounds and writes nothing, so the results do
 * not change. JavaScript has no prefetch instruction (a load must complete), so without the addon
 * there is none.
 */
import { nativeKernels } from '../nativeKernels.ts';
import type { SynapseTable } from './synapseTable.ts';

/** Asks for the lines of row `row` (a source's index in its population) of a source population's tables. */
export type RowPrefetch = (row: number) => void;

/**
 * Below this many bytes of rows, a source's tables stay in the caches (a core's second level holds
 * 512 KiB here), and asking for them would only add a call into the addon to every spike: on a
 * network of 2 000 populations of 3 neurons (1 s, 198 000 spikes, four rounds), delivery took
 * 0.033–0.059 s with a call for every source against 0.025–0.027 s with none, and 0.026–0.035 s
 * with this threshold, under which none of its sources calls.
 */
export const PREFETCH_FROM_BYTES = 1 << 20;

/**
 * The prefetch of the rows of `tables`, the projections of one source population, where it pays;
 * null otherwise, or without the addon. It pays for rows whose synapses share one delay, which add
 * into one slot of the ring: that slot stays in the cache, so waiting for each row's first lines is
 * much of their cost. Rows with a delay per synapse wait on the ring instead, and asking for their
 * lines too made the full-scale microcircuit slower (bench/README.md).
 */
export function rowPrefetch(tables: readonly SynapseTable[]): RowPrefetch | null {
  const oneDelay = tables.filter((t) => t.delays === null);
  const bytes = oneDelay.reduce((sum, t) => sum + t.count * (t.targets.BYTES_PER_ELEMENT + (t.weights?.BYTES_PER_ELEMENT ?? 0)), 0);
  return bytes < PREFETCH_FROM_BYTES ? null : sourcePrefetch(oneDelay);
}

/** The prefetch of all rows of `tables`, whatever their size; null without the addon or tables. */
export function sourcePrefetch(tables: readonly SynapseTable[]): RowPrefetch | null {
  const native = nativeKernels();
  if (native === null || tables.length === 0) return null;
  // The closure holds the tables, whose arrays the addon reads through pointers.
  const kept = { handle: native.sourceRows(tables.map((t) => [t.rowStart, t.rowEnd, t.targets, t.weights, t.delays])), tables };
  const { prefetchRows } = native;
  return (row) => prefetchRows(kept.handle, row);
}
