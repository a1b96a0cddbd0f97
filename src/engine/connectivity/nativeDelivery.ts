/**
 * Row delivery in C (`native/delivery.c`), for the rows that take most of a large network's time:
 * per-synapse weights or delays into rings far larger than the caches (the microcircuit). There
 * every addition waits on memory, and only C can ask for a ring's cache line ahead of time (a
 * prefetch): on the microcircuit's rows it delivers in about half the time of the JavaScript
 * kernel. It makes the same additions in the same order, so the results are bit for bit those of
 * the JavaScript kernels (`oneRingRows` and `mixedRows` in `delivery.ts`), which stay the reference
 * and run wherever the addon was not built (`npm ci` builds it with node-gyp) or
 * `SPIKEGRID_NATIVE=0`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RowDelivery } from './delivery.ts';
import type { SynapseTable } from './synapseTable.ts';

interface DeliveryAddon {
  rows(
    rowStart: Uint32Array, targets: Uint16Array | Uint32Array, weights: Float64Array | null, weight: number,
    delays: Uint16Array | null, delay: number, ring: Float64Array, size: number, slots: number,
    negative: Float64Array | null, negativeSlots: number,
  ): object;
  deliver(rows: object, row: number, step: number, amount: number): number;
}

/** Where `npm ci` builds the addon. */
const BUILT = fileURLToPath(new URL('../../../native/build/Release/delivery.node', import.meta.url));

let path: string | null = process.env.SPIKEGRID_NATIVE === '0' ? null : BUILT;
let addon: DeliveryAddon | null | undefined;

function loaded(): DeliveryAddon | null {
  if (addon === undefined) {
    addon = null;
    // Not built: `npm ci` said so when it tried. Built but unusable: worth saying, once.
    if (path !== null && existsSync(path)) {
      try {
        addon = createRequire(import.meta.url)(path) as DeliveryAddon;
      } catch (error) {
        process.emitWarning(`${path} did not load (${(error as Error).message}); rows are delivered in JavaScript, with the same results. \`npm run install\` builds it again.`);
      }
    }
  }
  return addon;
}

/** Whether deliveries made from now on in this thread run in C. */
export function nativeDelivery(): boolean {
  return loaded() !== null;
}

/**
 * The addon's file as this thread loads it, or null where it uses the JavaScript kernels: what a
 * worker thread is told to use (`useNativeDelivery`), since a thread's bundled code does not lie
 * beside the addon.
 */
export function nativeDeliveryPath(): string | null {
  return loaded() === null ? null : path;
}

/** Loads the addon from `file` from now on in this thread; null: the JavaScript kernels. */
export function useNativeDelivery(file: string | null): void {
  path = file;
  addon = undefined;
}

/** A ring of `slots` slots of a partition's targets. */
export interface Ring {
  readonly ring: Float64Array;
  readonly slots: number;
}

/**
 * The C delivery of `table` into `into` (slots of `size` targets each) or, given `negative`, of its
 * weights `w >= 0` into `into` and the others into `negative`; null where the addon is not in use.
 * The closure holds the table's arrays and the rings, which the addon reads and writes through
 * pointers, so that none is collected while it can be called.
 */
export function nativeRows(table: SynapseTable, size: number, into: Ring, negative?: Ring): RowDelivery | null {
  const native = loaded();
  if (native === null) return null;
  const kept = {
    rows: native.rows(table.rowStart, table.targets, table.weights, table.weight, table.delays, table.delay, into.ring, size, into.slots,
      negative?.ring ?? null, negative?.slots ?? 0),
    table,
    into,
    negative,
  };
  const { deliver } = native;
  return (row, step, amount) => deliver(kept.rows, row, step, amount);
}
