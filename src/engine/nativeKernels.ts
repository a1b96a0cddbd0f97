/**
 * The native kernels (`native/`, one Node addon that `npm ci` builds with node-gyp): row delivery
 * (`connectivity/nativeDelivery.ts`), in arrival order (`connectivity/arrivalDelivery.ts`), and its prefetch (`connectivity/rowPrefetch.ts`), Poisson
 * counts and their inputs (`nativePoisson.ts`) and neuron updates
 * (`models/nativeNeurons.ts`), for the loops that take most of a large network's time. Each makes the same additions or draws the same counts as
 * its JavaScript kernel, so results are bit for bit the same either way; the JavaScript kernels stay
 * the reference, and run wherever the addon was not built or `SPIKEGRID_NATIVE=0`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SynapticArray } from './precision.ts';

export interface NativeKernels {
  tableRows(
    rowStart: Uint32Array, rowEnd: Uint32Array, targets: Uint16Array | Uint32Array, weights: SynapticArray | null, weight: number,
    delays: Uint16Array | null, delay: number, ring: SynapticArray, size: number, slots: number,
    negative: SynapticArray | null, negativeSlots: number,
  ): object;
  deliver(rows: object, row: number, step: number, amount: number): number;
  arrivals(rings: readonly SynapticArray[], sizes: Uint32Array, slots: Uint32Array): object;
  arrivalSource(
    arrivals: object, rowStarts: readonly Uint32Array[], rowEnds: readonly Uint32Array[], targets: Uint16Array | Uint32Array, weights: SynapticArray,
    delays: Uint16Array, rings: Int32Array,
  ): number;
  arrivalSpike(arrivals: object, source: number, row: number, step: number): number;
  arrive(arrivals: object, firstStep: number, steps: number): number;
  sourceRows(tables: readonly (readonly [Uint32Array, Uint32Array, Uint16Array | Uint32Array, SynapticArray | null, Uint16Array | null])[]): object;
  prefetchRows(sourceRows: object, row: number): void;
  poissonDraws(keyHi: Uint32Array, keyLo: Uint32Array, thresholds: Float64Array, guide: Int32Array, guideShift: number): object;
  drawCounts(draws: object, mixed: number, from: number, to: number, counts: Uint8Array, offset: number): void;
  oneEachInputs(targetOf: Uint32Array, weight: number, ring: SynapticArray, size: number): object;
  addCounts(inputs: object, counts: Uint8Array, offset: number, from: number, to: number, base: number): number;
  neurons(
    model: number, v: Float64Array, iEx: Float64Array | null, iIn: Float64Array | null, refractory: Int32Array, ringPositive: SynapticArray,
    ringNegative: SynapticArray | null, iDc: Float64Array | null, ringCurrent: SynapticArray | null, constants: Float64Array, counts: Uint32Array,
  ): object;
  neuronStep(population: object, t: number, steps: Int32Array, gids: Uint32Array, count: number): number;
  releaseFreeMemory(): void;
}

/**
 * Below this many elements (neurons, generator outputs) a kernel stays in JavaScript: a call into
 * the addon costs ≈ 0.1 µs, more than a few elements' work. Measured on networks of many small
 * LIF populations (one worker, three runs each): 4 and 8 neurons a population ran faster in
 * JavaScript (0.17–0.18 s against 0.31–0.34 s; 0.26–0.27 s against 0.33 s), 16 and 64 in C
 * (0.25–0.27 s against 0.37–0.62 s; 0.10–0.14 s against 0.51–0.68 s); Poisson generators of 8
 * outputs drew about as fast either way, of 16 and 32 faster in C.
 */
export const NATIVE_FROM = 16;

/** Where `npm ci` builds the addon. */
const BUILT = fileURLToPath(new URL('../../native/build/Release/kernels.node', import.meta.url));

let path: string | null = process.env.SPIKEGRID_NATIVE === '0' ? null : BUILT;
let addon: NativeKernels | null | undefined;

/** What the addon must offer: one built from older sources lacks some. */
const FUNCTIONS: readonly (keyof NativeKernels)[] = ['tableRows', 'deliver', 'arrivals', 'arrivalSource', 'arrivalSpike', 'arrive', 'sourceRows', 'prefetchRows', 'poissonDraws', 'drawCounts', 'oneEachInputs', 'addCounts', 'neurons', 'neuronStep', 'releaseFreeMemory'];

/** The addon as this thread uses it, or null: the JavaScript kernels. */
export function nativeKernels(): NativeKernels | null {
  if (addon === undefined) {
    addon = null;
    // Not built: `npm ci` said so when it tried. Built but unusable: worth saying, once.
    if (path !== null && existsSync(path)) {
      try {
        const loaded = createRequire(import.meta.url)(path) as Partial<NativeKernels>;
        const missing = FUNCTIONS.filter((name) => typeof loaded[name] !== 'function');
        if (missing.length > 0) throw new Error(`it lacks ${missing.join(', ')}: it was built from older sources`);
        addon = loaded as NativeKernels;
      } catch (error) {
        process.emitWarning(`${path} did not load (${(error as Error).message}); the JavaScript kernels run instead, with the same results. \`npm run install\` builds it again.`);
      }
    }
  }
  return addon;
}

/**
 * The addon's file as this thread loads it, or null where it uses the JavaScript kernels: what a
 * worker thread is told to use (`useNativeKernels`), since a thread's bundled code does not lie
 * beside the addon.
 */
export function nativeKernelsPath(): string | null {
  return nativeKernels() === null ? null : path;
}

/** Loads the addon from `file` from now on in this thread; null: the JavaScript kernels. Kernels made before keep theirs. */
export function useNativeKernels(file: string | null): void {
  path = file;
  addon = undefined;
}
