/**
 * Asking for the next spike's rows while this one's are delivered (`native/rowPrefetch.c`). The
 * rows of consecutive spikes lie far apart in memory, so each row's delivery would begin by waiting
 * for its first cache lines; told which source comes a little later, the addon asks for its rows'
 * lines ahead of time. It reads nothing but the row bounds and writes nothing, so the results do not change.
 * JavaScript has no prefetch instruction (a load must complete), so without the addon there is none.
 */
import { nativeKernels } from '../nativeKernels.ts';
import type { SynapseTable } from './synapseTable.ts';

/** Asks for the lines of row `row` (a source's index in its population) of a source population's tables. */
export type RowPrefetch = (row: number) => void;

/** The prefetch of `tables`' rows, the projections of one source population; null without the addon or tables. */
export function rowPrefetch(tables: readonly SynapseTable[]): RowPrefetch | null {
  const native = nativeKernels();
  if (native === null || tables.length === 0) return null;
  // The closure holds the tables, whose arrays the addon reads through pointers.
  const kept = { handle: native.sourceRows(tables.map((t) => [t.rowStart, t.rowEnd, t.targets, t.weights, t.delays])), tables };
  const { prefetchRows } = native;
  return (row) => prefetchRows(kept.handle, row);
}
