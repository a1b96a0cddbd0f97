/**
 * Row delivery: puts what one source emitted at one step into the input rings of its targets,
 * through one projection's synapses. Every variant adds `amount × weight` to slot
 * `(step + delay) % ringSize` of each target, walking the row in synapse order, and returns the
 * number of synapses reached. Each projection gets its own specialised function (see `specialise`).
 */
import { specialise } from '../specialise.ts';
import type { InputRings } from '../population.ts';
import type { DenseSynapseTable } from './denseTable.ts';
import type { SynapseTable } from './synapseTable.ts';

/** Delivers `amount` (spike count or current) from source `row` emitted at `step`; returns the synapses reached. */
export type RowDelivery = (row: number, step: number, amount: number) => number;

export type Receptor = 'synaptic' | 'current';

export function rowDelivery(
  table: SynapseTable | DenseSynapseTable,
  target: InputRings & { readonly size: number },
  ringSize: number,
  receptor: Receptor,
): RowDelivery {
  const size = target.size;
  const [positive, negative] = receptor === 'current' ? [target.ringCurrent, target.ringCurrent] : [target.ringPositive, target.ringNegative];
  if ('present' in table) {
    const delays = table.delays ?? new Uint16Array(0);
    return specialise(denseRows, table.present, table.weights, delays, table.delays !== null, table.delay, table.rowCount, table.nTargets, positive, negative, size, ringSize);
  }
  if (table.weights === null && table.delays === null) {
    return specialise(uniformRows, table.rowStart, table.targets, table.weight, table.delay, table.weight >= 0 ? positive : negative, size, ringSize);
  }
  return specialise(mixedRows, table.rowStart, table.targets, table.weights ?? new Float64Array(0), table.weights !== null, table.weight,
    table.delays ?? new Uint16Array(0), table.delays !== null, table.delay, positive, negative, size, ringSize);
}

/**
 * One weight and one delay for the whole projection: one ring, one slot per row. The loop is
 * unrolled by four, which V8 runs ~1.6× faster; the additions happen in the same order.
 */
function uniformRows(rowStart: Uint32Array, targets: Uint16Array | Uint32Array, weight: number, delay: number, ring: Float64Array, size: number, ringSize: number) {
  return (row: number, step: number, amount: number): number => {
    const begin = rowStart[row];
    const end = rowStart[row + 1];
    const base = ((step + delay) % ringSize) * size;
    const w = amount * weight;
    let k = begin;
    for (; k + 4 <= end; k += 4) {
      const a = targets[k];
      const b = targets[k + 1];
      const c = targets[k + 2];
      const d = targets[k + 3];
      ring[base + a] += w;
      ring[base + b] += w;
      ring[base + c] += w;
      ring[base + d] += w;
    }
    for (; k < end; k++) ring[base + targets[k]] += w;
    return end - begin;
  };
}

/** Weights or delays per synapse. */
function mixedRows(
  rowStart: Uint32Array, targets: Uint16Array | Uint32Array,
  weights: Float64Array, perSynapseWeight: boolean, weight: number,
  delays: Uint16Array, perSynapseDelay: boolean, delay: number,
  positive: Float64Array, negative: Float64Array, size: number, ringSize: number,
) {
  return (row: number, step: number, amount: number): number => {
    const begin = rowStart[row];
    const end = rowStart[row + 1];
    // Delays are below ringSize, so one subtraction wraps the slot: no division per synapse.
    const firstSlot = step % ringSize;
    for (let k = begin; k < end; k++) {
      const w = perSynapseWeight ? weights[k] : weight;
      let slot = firstSlot + (perSynapseDelay ? delays[k] : delay);
      if (slot >= ringSize) slot -= ringSize;
      (w >= 0 ? positive : negative)[slot * size + targets[k]] += amount * w;
    }
    return end - begin;
  };
}

/** `ConnectRepr.MAT`: a dense row per source, targets in index order. */
function denseRows(
  present: Uint8Array, weights: Float64Array, delays: Uint16Array, perSynapseDelay: boolean, delay: number, rowCount: Uint32Array,
  nTargets: number, positive: Float64Array, negative: Float64Array, size: number, ringSize: number,
) {
  return (row: number, step: number, amount: number): number => {
    const first = row * nTargets;
    const firstSlot = step % ringSize;
    for (let j = 0; j < nTargets; j++) {
      if (present[first + j] === 0) continue;
      const w = weights[first + j];
      let slot = firstSlot + (perSynapseDelay ? delays[first + j] : delay);
      if (slot >= ringSize) slot -= ringSize;
      (w >= 0 ? positive : negative)[slot * size + j] += amount * w;
    }
    return rowCount[row];
  };
}
