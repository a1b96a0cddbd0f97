/**
 * Row delivery: puts what one source emitted at one step into the input rings of its targets,
 * through one projection's synapses. Every variant adds `amount × weight` to slot
 * `(step + delay) % slots` of each target's ring, walking the row in synapse order, and returns
 * the number of synapses reached. Each projection gets its own specialised function, or a small
 * one a shared one (see `specialise`).
 */
import type { SynapticArray } from '../precision.ts';
import { specialiseFor } from '../specialise.ts';
import { nativeRows, type Ring } from './nativeDelivery.ts';
import type { InputRings } from '../population.ts';
import type { DenseSynapseTable } from './denseTable.ts';
import type { SynapseTable } from './synapseTable.ts';

/** Delivers `amount` (spike count or current) from source `row` emitted at `step`; returns the synapses reached. */
export type RowDelivery = (row: number, step: number, amount: number) => number;

export type Receptor = 'synaptic' | 'current';

/** The synaptic rings a table's weights write into: a weight `w >= 0` goes to the positive ring. */
export type WeightSigns = 'positive' | 'negative' | 'both';

export function weightSigns(table: SynapseTable): WeightSigns {
  if (table.weights === null) return table.weight >= 0 ? 'positive' : 'negative';
  // The table's own rows only: its arrays may hold other projections' synapses too.
  const { weights, rowStart, rowEnd } = table;
  let positive = false;
  let negative = false;
  for (let s = 0; s < table.nSources && !(positive && negative); s++) {
    for (let k = rowStart[s]; k < rowEnd[s]; k++) {
      if (weights[k] >= 0) positive = true;
      else negative = true;
    }
  }
  return positive && negative ? 'both' : negative ? 'negative' : 'positive';
}

/** The synaptic ring of `target` that weights of one sign write into, and its slots. */
export function synapticRing(target: InputRings, signs: WeightSigns): { ring: SynapticArray; slots: number } {
  return signs === 'negative'
    ? { ring: target.ringNegative, slots: target.ringSlots.negative }
    : { ring: target.ringPositive, slots: target.ringSlots.positive };
}

/** The synaptic rings of `target` that weights `w >= 0` and `w < 0` add into, null for a sign the weights lack. */
export function signedRings(target: InputRings, signs: WeightSigns): { positive: Ring | null; negative: Ring | null } {
  return {
    positive: signs !== 'negative' ? synapticRing(target, 'positive') : null,
    negative: signs !== 'positive' ? synapticRing(target, 'negative') : null,
  };
}

/**
 * The delivery of one projection into `target`, whose weights have `signs`. A projection whose
 * weights keep one sign (one weight, or sign-preserving clipping) writes into one ring without
 * choosing per synapse, which V8 runs ~1.5× faster on rings too large for the cache; the additions
 * are the same.
 */
export function rowDelivery(
  table: SynapseTable | DenseSynapseTable,
  target: InputRings & { readonly size: number },
  receptor: Receptor,
  signs: WeightSigns,
): RowDelivery {
  const size = target.size;
  const { ringSlots } = target;
  const [positive, negative, positiveSlots, negativeSlots] = receptor === 'current'
    ? [target.ringCurrent, target.ringCurrent, ringSlots.current, ringSlots.current]
    : [target.ringPositive, target.ringNegative, ringSlots.positive, ringSlots.negative];
  if ('present' in table) {
    const delays = table.delays ?? new Uint16Array(0);
    return specialiseFor(table.present.length, denseRows, table.present, table.weights, delays, table.delays !== null, table.delay, table.rowCount, table.nTargets,
      positive, negative, size, positiveSlots, negativeSlots);
  }
  const { ring, slots } = receptor === 'current' ? { ring: positive, slots: positiveSlots } : synapticRing(target, signs);
  if (table.weights === null && table.delays === null) {
    return specialiseFor(table.count, uniformRows, table.rowStart, table.rowEnd, table.targets, table.weight, table.delay, ring, size, slots);
  }
  // A current, or a model with one synaptic input (both signs share its ring), needs no choice either.
  if (signs !== 'both' || positive === negative) {
    return nativeRows(table, size, { ring, slots })
      ?? specialiseFor(table.count, oneRingRows, table.rowStart, table.rowEnd, table.targets, table.weights ?? new Float64Array(0), table.weights !== null, table.weight,
        table.delays ?? new Uint16Array(0), table.delays !== null, table.delay, ring, size, slots);
  }
  return nativeRows(table, size, { ring: positive, slots: positiveSlots }, { ring: negative, slots: negativeSlots })
    ?? specialiseFor(table.count, mixedRows, table.rowStart, table.rowEnd, table.targets, table.weights!, table.delays ?? new Uint16Array(0), table.delays !== null, table.delay,
      positive, negative, size, positiveSlots, negativeSlots);
}

/**
 * One weight and one delay for the whole projection: one ring, one slot per row. The loop is
 * unrolled by four, which V8 runs ~1.6× faster; the additions happen in the same order.
 */
function uniformRows(rowStart: Uint32Array, rowEnd: Uint32Array, targets: Uint16Array | Uint32Array, weight: number, delay: number, ring: SynapticArray, size: number, ringSize: number) {
  return (row: number, step: number, amount: number): number => {
    const begin = rowStart[row];
    const end = rowEnd[row];
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

/** Weights or delays per synapse, into one ring. `native/delivery.c` makes the same additions in C (`nativeDelivery.ts`). */
function oneRingRows(
  rowStart: Uint32Array, rowEnd: Uint32Array, targets: Uint16Array | Uint32Array,
  weights: SynapticArray, perSynapseWeight: boolean, weight: number,
  delays: Uint16Array, perSynapseDelay: boolean, delay: number,
  ring: SynapticArray, size: number, ringSize: number,
) {
  return (row: number, step: number, amount: number): number => {
    const begin = rowStart[row];
    const end = rowEnd[row];
    // Delays are below ringSize, so one subtraction wraps the slot: no division per synapse.
    const firstSlot = step % ringSize;
    for (let k = begin; k < end; k++) {
      let slot = firstSlot + (perSynapseDelay ? delays[k] : delay);
      if (slot >= ringSize) slot -= ringSize;
      ring[slot * size + targets[k]] += amount * (perSynapseWeight ? weights[k] : weight);
    }
    return end - begin;
  };
}

/** Weights of both signs: each synapse picks its ring. `native/delivery.c` makes the same additions in C. */
function mixedRows(
  rowStart: Uint32Array, rowEnd: Uint32Array, targets: Uint16Array | Uint32Array, weights: SynapticArray,
  delays: Uint16Array, perSynapseDelay: boolean, delay: number,
  positive: SynapticArray, negative: SynapticArray, size: number, positiveSlots: number, negativeSlots: number,
) {
  return (row: number, step: number, amount: number): number => {
    const begin = rowStart[row];
    const end = rowEnd[row];
    const firstPositive = step % positiveSlots;
    const firstNegative = step % negativeSlots;
    for (let k = begin; k < end; k++) {
      const w = weights[k];
      const d = perSynapseDelay ? delays[k] : delay;
      if (w >= 0) {
        const slot = firstPositive + d;
        positive[(slot >= positiveSlots ? slot - positiveSlots : slot) * size + targets[k]] += amount * w;
      } else {
        const slot = firstNegative + d;
        negative[(slot >= negativeSlots ? slot - negativeSlots : slot) * size + targets[k]] += amount * w;
      }
    }
    return end - begin;
  };
}

/** `ConnectRepr.MAT`: a dense row per source, targets in index order. */
function denseRows(
  present: Uint8Array, weights: SynapticArray, delays: Uint16Array, perSynapseDelay: boolean, delay: number, rowCount: Uint32Array,
  nTargets: number, positive: SynapticArray, negative: SynapticArray, size: number, positiveSlots: number, negativeSlots: number,
) {
  return (row: number, step: number, amount: number): number => {
    const first = row * nTargets;
    const firstPositive = step % positiveSlots;
    const firstNegative = step % negativeSlots;
    for (let j = 0; j < nTargets; j++) {
      if (present[first + j] === 0) continue;
      const w = weights[first + j];
      const d = perSynapseDelay ? delays[first + j] : delay;
      if (w >= 0) {
        const slot = firstPositive + d;
        positive[(slot >= positiveSlots ? slot - positiveSlots : slot) * size + j] += amount * w;
      } else {
        const slot = firstNegative + d;
        negative[(slot >= negativeSlots ? slot - negativeSlots : slot) * size + j] += amount * w;
      }
    }
    return rowCount[row];
  };
}
