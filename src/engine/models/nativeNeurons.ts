/**
 * Neuron updates in C (`native/neurons.c`): the arithmetic of `lifStep` and `expLifStep`, in the
 * same order with the same rounding, four neurons at a time where the processor allows; the spikes
 * come out in the same order. The JavaScript kernels stay the reference (`nativeKernels.ts`).
 */
import { NATIVE_FROM, nativeKernels } from '../nativeKernels.ts';
import type { ChunkSpikes } from '../population.ts';
import type { SynapticArray } from '../precision.ts';

/** What `native/neurons.c` calls each model. */
const MODELS = { LIF: 0, ExpLIF: 1 } as const;

/** A population's state as the update reads and writes it; what a model does not have is null. */
export interface NeuronArrays {
  readonly v: Float64Array;
  readonly iEx: Float64Array | null;
  readonly iIn: Float64Array | null;
  readonly refractory: Int32Array;
  readonly ringPositive: SynapticArray;
  readonly ringNegative: SynapticArray | null;
  /** With generator current: the current of the next step, and its ring. */
  readonly iDc: Float64Array | null;
  readonly ringCurrent: SynapticArray | null;
}

export interface NeuronCounts {
  readonly gidStart: number;
  readonly refractorySteps: number;
  readonly positiveSlots: number;
  readonly negativeSlots: number;
  readonly currentSlots: number;
}

/**
 * The C update of one step of a population of `model`, with its kernel's `constants` in the order
 * `native/neurons.c` reads them; null where the addon is not in use or the population is too small
 * to gain (`NATIVE_FROM`). The closure holds the arrays, which the addon reads and writes through
 * pointers.
 */
export function nativeNeuronStep(model: keyof typeof MODELS, arrays: NeuronArrays, constants: readonly number[], counts: NeuronCounts):
  ((t: number, out: ChunkSpikes) => void) | null {
  const native = nativeKernels();
  if (native === null || arrays.v.length < NATIVE_FROM) return null;
  const { v, iEx, iIn, refractory, ringPositive, ringNegative, iDc, ringCurrent } = arrays;
  const kept = {
    population: native.neurons(MODELS[model], v, iEx, iIn, refractory, ringPositive, ringNegative, iDc, ringCurrent, Float64Array.from(constants),
      Uint32Array.of(counts.gidStart, counts.refractorySteps, counts.positiveSlots, counts.negativeSlots, counts.currentSlots)),
    arrays,
  };
  const { neuronStep } = native;
  return (t, out) => {
    out.count = neuronStep(kept.population, t, out.steps, out.gids, out.count);
  };
}
