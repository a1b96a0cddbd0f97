/**
 * What the engine needs from the neurons of one population in one partition, whatever the model
 * and device: input ring buffers, a step, and reading state for monitors.
 */

import type { Precision } from '../ir/description.ts';
import type { SynapticArray } from './precision.ts';

/** Spikes emitted during one chunk, in canonical order (by step, then by gid). */
export interface ChunkSpikes {
  steps: Int32Array;
  gids: Uint32Array;
  count: number;
}

export function emptyChunkSpikes(capacity: number): ChunkSpikes {
  return { steps: new Int32Array(capacity), gids: new Uint32Array(capacity), count: 0 };
}

/**
 * Input ring buffers: slot `(t % slots) * size + i` of a ring of `slots` slots holds what neuron
 * `i` receives at step `t`. Positive weights go to `ringPositive`, negative to `ringNegative`,
 * generator currents to `ringCurrent`. A model with a single synaptic input uses the same array
 * for both signs. The rings hold numbers in the network's precision (`precision.ts`).
 */
export interface InputRings {
  readonly ringPositive: SynapticArray;
  readonly ringNegative: SynapticArray;
  readonly ringCurrent: SynapticArray;
  /** The slots each ring holds. */
  readonly ringSlots: RingSlots;
}

/** Slots per input ring: the longest delay of the synapses that write into it, plus one (`ringSlots.ts`). */
export interface RingSlots {
  readonly positive: number;
  readonly negative: number;
  readonly current: number;
}

export interface NeuronPopulation extends InputRings {
  readonly name: string;
  /** Neurons owned here. */
  readonly size: number;
  /** gid of the first neuron owned here. */
  readonly gidStart: number;
  /** Advances every neuron by step `t`, reading its input slots of step `t`; appends spikes to `out`. */
  step(t: number, out: ChunkSpikes): void;
  /** Copies `variable` (in user units: mV, pA) of local neurons [from, to) into `out` at `at`. */
  read(variable: string, from: number, to: number, out: Float64Array, at: number): void;
}

export interface PopulationInit {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  readonly size: number;
  readonly gidStart: number;
  readonly dt: number;
  /** The slots each ring needs; a model with one synaptic ring takes the longer of positive and negative. */
  readonly ringSlots: RingSlots;
  /** Initial membrane potential [mV] of each local neuron. */
  readonly vInit: Float64Array;
  /** Whether any generator current (DC) reaches this population; if not, its kernel skips that input. */
  readonly currentInput: boolean;
  /** The precision of its input rings. */
  readonly precision: Precision;
}
