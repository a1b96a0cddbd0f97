/**
 * Generators, evaluated by every partition for its own targets (no exchange needed: their output
 * depends only on the seed). At step t a generator emits per output either a spike count (Poisson,
 * spike lists) or a current (DC); a synapse with delay d delivers it at step t + d, scaled by its
 * weight, exactly like a neuron's spike.
 *
 * Timing: step t covers [t·dt, (t+1)·dt); a generator with start/stop is active at the steps whose
 * start time t·dt lies in [start, stop). A listed spike time T (ms) is emitted at the step that ends
 * at T, i.e. step round(T/dt) − 1, as NEST stamps spikes.
 */
import type { GeneratorDescription } from '../ir/description.ts';
import { Purpose, keyedBits, mixCounter, streamKey } from '../random/counter.ts';
import { GUIDE_BITS, PoissonSampler, countFrom } from '../random/distributions.ts';
import type { RowDelivery } from './connectivity/delivery.ts';
import { DRAW_PIECE, PoissonBank, drawAhead, takeStep } from './poissonBank.ts';
import { nativeOneEachInputs, nativePoissonCounts, type AddCounts, type DrawCounts } from './nativePoisson.ts';
import type { SynapticArray } from './precision.ts';
import type { SynapseTable } from './connectivity/synapseTable.ts';
import { specialiseFor } from './specialise.ts';

/** One projection from a generator into a local population. */
export interface GeneratorLink {
  readonly table: SynapseTable;
  readonly deliver: RowDelivery;
  /** For a projection with one weight and one delay: the ring its weight's sign selects. */
  readonly uniformRing: SynapticArray | null;
  readonly targetSize: number;
  /** Slots of `uniformRing`. */
  readonly ringSize: number;
}

export abstract class GeneratorSource {
  /** Outputs with at least one synapse in this partition, ascending. */
  protected readonly activeOutputs: Uint32Array;
  protected readonly firstStep: number;
  protected readonly stopStep: number;

  constructor(
    readonly description: GeneratorDescription,
    protected readonly links: readonly GeneratorLink[],
    dt: number,
  ) {
    const active: number[] = [];
    for (let j = 0; j < description.size; j++) {
      if (links.some((l) => l.table.rowEnd[j] > l.table.rowStart[j])) active.push(j);
    }
    this.activeOutputs = Uint32Array.from(active);
    const { start = 0, stop = Number.MAX_VALUE } = description.params as Record<string, number>;
    this.firstStep = Math.ceil(start / dt - 1e-9);
    this.stopStep = Math.min(Math.ceil(stop / dt - 1e-9), 2 ** 31);
  }

  /**
   * Emits the output of step `t` into the input rings of the targets; returns the synaptic spike
   * events delivered (a count of c on one synapse is c events; a current is none). The kernels
   * return their count rather than add it to an object after their loop: V8 compiles a long loop
   * while it runs, before that addition has ever run, and such code then gave up at the addition
   * again and again (≈ 1000 times in a Brunel run on one partition thread).
   */
  abstract emit(t: number): number;

  /**
   * Does a piece (microseconds) of later steps' work now, while the partition waits for the
   * others' spikes (see `PoissonBank`); returns false when there is none to do.
   */
  drawAhead(): boolean {
    return false;
  }
}

/** Independent Poisson spike counts per output and step; the draw is keyed by (generator, output, step). */
export class PoissonSource extends GeneratorSource {
  readonly emit: (t: number) => number;
  override readonly drawAhead: () => boolean;

  constructor(description: GeneratorDescription, index: number, seed: number, dt: number, links: readonly GeneratorLink[]) {
    super(description, links, dt);
    const sampler = new PoissonSampler(((description.params.rate as number) * dt) / 1000);
    const keyHi = new Uint32Array(this.activeOutputs.length);
    const keyLo = new Uint32Array(this.activeOutputs.length);
    this.activeOutputs.forEach((j, a) => {
      const key = streamKey(seed, Purpose.poisson, index, j);
      keyHi[a] = key.hi;
      keyLo[a] = key.lo;
    });
    // Counts drawn by table fit a byte; large means (drawn by rejection) are not drawn ahead.
    const { thresholds, guide } = sampler;
    const bankable = thresholds !== null && sampler.largestCount <= 255 && keyHi.length > 0;
    const bank = new PoissonBank(bankable ? keyHi.length : 0);
    // Counts that fit a byte can be drawn in C (where there are enough outputs: `NATIVE_FROM`), the same counts; `drawnHere` takes a step's.
    const drawCounts = bankable ? nativePoissonCounts(keyHi, keyLo, thresholds, guide!, 32 - GUIDE_BITS) : null;
    const drawnHere = new Uint8Array(drawCounts !== null ? keyHi.length : 0);
    this.drawAhead = bankable
      ? specialiseFor(keyHi.length, drawAhead, keyHi, keyLo, thresholds, guide!, 32 - GUIDE_BITS, countFrom, mixCounter, keyedBits, drawCounts,
        this.firstStep, this.stopStep, bank.counts, bank.state, bank.steps, DRAW_PIECE)
      : () => false;
    const only = links.length === 1 ? links[0] : null;
    const oneEach = only !== null && this.activeOutputs.every((j) => only.table.rowEnd[j] - only.table.rowStart[j] === 1);
    if (only !== null && only.uniformRing !== null && thresholds !== null && oneEach) {
      // One synapse per output (One2One): no branch, no inner loop. A count of 0 adds +0 or −0,
      // which changes no sum.
      const { rowStart, targets, weight, delay } = only.table;
      const targetOf = Uint32Array.from(this.activeOutputs, (j) => targets[rowStart[j]]);
      const addCounts = drawCounts !== null ? nativeOneEachInputs(targetOf, weight, only.uniformRing, only.targetSize) : null;
      this.emit = specialiseFor(keyHi.length, poissonEmitOneEach, keyHi, keyLo, thresholds, guide!, countFrom, mixCounter, keyedBits, 32 - GUIDE_BITS,
        drawCounts, drawnHere, addCounts, this.firstStep, this.stopStep, targetOf, weight, delay, only.uniformRing, only.targetSize, only.ringSize,
        bank.counts, bank.state, bank.steps, takeStep);
      return;
    }
    const deliveries = links.map((l) => l.deliver);
    const single = deliveries.length === 1 ? deliveries[0] : null;
    this.emit = specialiseFor(this.activeOutputs.length, poissonEmit, this.activeOutputs, keyHi, keyLo, sampler, thresholds, guide, countFrom, mixCounter, keyedBits, 32 - GUIDE_BITS,
      drawCounts, drawnHere, this.firstStep, this.stopStep, single, deliveries, bank.counts, bank.state, bank.steps, takeStep);
  }
}

/**
 * Small means (the usual case) invert the cumulative table inline — the same draw as
 * `PoissonSampler.sample`, written out so the hot loop makes no calls but the rare `countFrom`;
 * large means call the sampler.
 *
 * Counts drawn ahead are taken from the bank (`PoissonBank`'s `counts`, `state` and `steps`, as
 * `takeStep` says); the step's others are drawn here, or in C into `drawnHere` where `drawCounts`
 * is given.
 */
function poissonEmit(
  outputs: Uint32Array, keyHi: Uint32Array, keyLo: Uint32Array, sampler: PoissonSampler, thresholds: Float64Array | null, guide: Int32Array | null,
  countFrom: (thresholds: Float64Array, x: number, k: number) => number, mixCounter: (counter: number) => number, keyedBits: (hi: number, lo: number, mixed: number) => number, guideShift: number,
  drawCounts: DrawCounts | null, drawnHere: Uint8Array, firstStep: number, stopStep: number,
  single: RowDelivery | null, deliveries: RowDelivery[], counts: Uint8Array, state: Int32Array, bankSteps: number,
  takeStep: (state: Int32Array, t: number, n: number) => number,
) {
  const n = outputs.length;
  return (t: number): number => {
    const drawn = takeStep(state, t, n);
    if (t < firstStep || t >= stopStep) return 0;
    const row = (t % bankSteps) * n;
    const mixed = mixCounter(t);
    if (drawCounts !== null) drawCounts(mixed, drawn, n, drawnHere, 0);
    let events = 0;
    for (let a = 0; a < n; a++) {
      let count = 0;
      if (a < drawn) {
        count = counts[row + a];
      } else if (drawCounts !== null) {
        count = drawnHere[a];
      } else if (thresholds !== null) {
        const x = keyedBits(keyHi[a], keyLo[a], mixed);
        count = guide![x >>> guideShift];
        if (count < 0) count = countFrom(thresholds, x, ~count);
      } else {
        count = sampler.sample(keyHi[a], keyLo[a], t);
      }
      if (count === 0) continue;
      if (single !== null) events += count * single(outputs[a], t, count);
      else for (let l = 0; l < deliveries.length; l++) events += count * deliveries[l](outputs[a], t, count);
    }
    return events;
  };
}

/**
 * `poissonEmit` for outputs with exactly one synapse each, one weight and one delay. Where the
 * addon is in use, C draws the counts (`drawCounts`) and adds them into the ring (`addCounts`):
 * the same additions; the two come together (the same outputs, the same `NATIVE_FROM`).
 */
function poissonEmitOneEach(
  keyHi: Uint32Array, keyLo: Uint32Array, thresholds: Float64Array, guide: Int32Array,
  countFrom: (thresholds: Float64Array, x: number, k: number) => number, mixCounter: (counter: number) => number, keyedBits: (hi: number, lo: number, mixed: number) => number, guideShift: number,
  drawCounts: DrawCounts | null, drawnHere: Uint8Array, addCounts: AddCounts | null, firstStep: number, stopStep: number,
  targetOf: Uint32Array, weight: number, delay: number, ring: SynapticArray, size: number, ringSize: number,
  counts: Uint8Array, state: Int32Array, bankSteps: number, takeStep: (state: Int32Array, t: number, n: number) => number,
) {
  const n = targetOf.length;
  return (t: number): number => {
    const drawn = takeStep(state, t, n);
    if (t < firstStep || t >= stopStep) return 0;
    const base = ((t + delay) % ringSize) * size;
    // The same additions in the same order, whether a count was drawn ahead or is drawn here.
    const row = (t % bankSteps) * n;
    if (addCounts !== null && drawCounts !== null) {
      drawCounts(mixCounter(t), drawn, n, drawnHere, 0);
      return addCounts(counts, row, 0, drawn, base) + addCounts(drawnHere, 0, drawn, n, base);
    }
    let events = 0;
    for (let a = 0; a < drawn; a++) {
      const count = counts[row + a];
      ring[base + targetOf[a]] += count * weight;
      events += count;
    }
    const mixed = mixCounter(t);
    for (let a = drawn; a < n; a++) {
      const x = keyedBits(keyHi[a], keyLo[a], mixed);
      let count = guide[x >>> guideShift];
      if (count < 0) count = countFrom(thresholds, x, ~count);
      ring[base + targetOf[a]] += count * weight;
      events += count;
    }
    return events;
  };
}

/** A constant current [pA] while active. */
export class DcSource extends GeneratorSource {
  private readonly amplitude: number;

  constructor(description: GeneratorDescription, dt: number, links: readonly GeneratorLink[]) {
    super(description, links, dt);
    this.amplitude = description.params.amplitude as number;
  }

  emit(t: number): number {
    if (t < this.firstStep || t >= this.stopStep || this.amplitude === 0) return 0;
    for (const j of this.activeOutputs) for (const link of this.links) link.deliver(j, t, this.amplitude);
    return 0;
  }
}

/** Spikes at listed times, per output. */
export class SpikeListSource extends GeneratorSource {
  /** (step, output) pairs of the local outputs, sorted by step then output. */
  private readonly steps: Int32Array;
  private readonly outputs: Uint32Array;
  private next = 0;

  constructor(description: GeneratorDescription, dt: number, links: readonly GeneratorLink[]) {
    super(description, links, dt);
    const lists = description.params.spike_times as number[][];
    const events: Array<[number, number]> = [];
    for (const j of this.activeOutputs) for (const time of lists[j]) events.push([Math.round(time / dt) - 1, j]);
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.steps = Int32Array.from(events, (e) => e[0]);
    this.outputs = Uint32Array.from(events, (e) => e[1]);
  }

  emit(t: number): number {
    let events = 0;
    while (this.next < this.steps.length && this.steps[this.next] < t) this.next++;
    while (this.next < this.steps.length && this.steps[this.next] === t) {
      // Repeated times on one output are a spike count, delivered one by one.
      const output = this.outputs[this.next++];
      for (const link of this.links) events += link.deliver(output, t, 1);
    }
    return events;
  }
}
