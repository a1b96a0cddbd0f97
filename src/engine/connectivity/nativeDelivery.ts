/**
 * Row delivery in C (`native/delivery.c`), for the rows that take most of a large network's time:
 * per-synapse weights or delays into rings far larger than the caches (the microcircuit). There
 * every addition waits on memory, and only C can ask for a ring's cache line ahead of time (a
 * prefetch): on the microcircuit's rows it delivers in about half the time of the JavaScript
 * kernel. It makes the same additions in the same order, so the results are bit for bit those of
 * the JavaScript kernels (`oneRingRows` and `mixedRows` in `delivery.ts`), which stay the reference
 * (`nativeKernels.ts`).
 */
import { nativeKernels } from '../nativeKernels.ts';
import type { SynapticArray } from '../precision.ts';
import type { RowDelivery } from './delivery.ts';
import type { SynapseTable } from './synapseTable.ts';

/** A ring of `slots` slots of a partition's targets. */
export interface Ring {
  readonly ring: SynapticArray;
  readonly slots: number;
}

/**
 * The C delivery of `table` into `into` (slots of `size` targets each) or, given `negative`, of its
 * weights `w >= 0` into `into` and the others into `negative`; null where the addon is not in use.
 * The closure holds the table's arrays and the rings, which the addon reads and writes through
 * pointers, so that none is collected while it can be called.
 */
export function nativeRows(table: SynapseTable, size: number, into: Ring, negative?: Ring): RowDelivery | null {
  const native = nativeKernels();
  if (native === null) return null;
  const kept = {
    rows: native.tableRows(table.rowStart, table.rowEnd, table.targets, table.weights, table.weight, table.delays, table.delay, into.ring, size, into.slots,
      negative?.ring ?? null, negative?.slots ?? 0),
    table,
    into,
    negative,
  };
  const { deliver } = native;
  return (row, step, amount) => deliver(kept.rows, row, step, amount);
}
