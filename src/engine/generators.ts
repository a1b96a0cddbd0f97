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
import { Purpose, streamKey } from '../random/counter.ts';
import { PoissonSampler } from '../random/distributions.ts';
import type { SynapseTable } from './connectivity/synapseTable.ts';
import type { InputRings } from './population.ts';

/** One projection from a generator into a local population. */
export interface GeneratorLink {
  readonly table: SynapseTable;
  readonly target: InputRings & { readonly size: number };
}

export abstract class GeneratorSource {
  /** Synaptic spike events delivered so far (a count of c on one synapse is c events). */
  events = 0;
  /** Outputs with at least one synapse in this partition, ascending. */
  protected readonly activeOutputs: Uint32Array;

  constructor(
    readonly description: GeneratorDescription,
    protected readonly links: readonly GeneratorLink[],
    protected readonly ringSize: number,
  ) {
    const active: number[] = [];
    for (let j = 0; j < description.size; j++) {
      if (links.some((l) => l.table.rowStart[j + 1] > l.table.rowStart[j])) active.push(j);
    }
    this.activeOutputs = Uint32Array.from(active);
  }

  /** Emits the output of step `t` into the input rings of the targets. */
  abstract emit(t: number): void;

  /** Delivers `amount` (a spike count, or a current) from `output` emitted at step `t`. */
  protected deliver(output: number, t: number, amount: number, current: boolean): void {
    for (const { table, target } of this.links) {
      const { rowStart, targets, weights, delays } = table;
      const size = target.size;
      for (let k = rowStart[output], end = rowStart[output + 1]; k < end; k++) {
        const w = weights ? weights[k] : table.weight;
        const d = delays ? delays[k] : table.delay;
        const ring = current ? target.ringCurrent : w >= 0 ? target.ringPositive : target.ringNegative;
        ring[((t + d) % this.ringSize) * size + targets[k]] += w * amount;
      }
      if (!current) this.events += amount * (rowStart[output + 1] - rowStart[output]);
    }
  }
}

/** Independent Poisson spike counts per output and step; the draw is keyed by (generator, output, step). */
export class PoissonSource extends GeneratorSource {
  private readonly sampler: PoissonSampler;
  private readonly keyHi: Uint32Array;
  private readonly keyLo: Uint32Array;
  private readonly firstStep: number;
  private readonly stopStep: number;

  constructor(description: GeneratorDescription, index: number, seed: number, dt: number, links: readonly GeneratorLink[], ringSize: number) {
    super(description, links, ringSize);
    const p = description.params as Record<string, number>;
    this.sampler = new PoissonSampler((p.rate * dt) / 1000);
    this.firstStep = Math.ceil(p.start / dt - 1e-9);
    this.stopStep = Math.min(Math.ceil(p.stop / dt - 1e-9), 2 ** 31);
    this.keyHi = new Uint32Array(this.activeOutputs.length);
    this.keyLo = new Uint32Array(this.activeOutputs.length);
    this.activeOutputs.forEach((j, a) => {
      const key = streamKey(seed, Purpose.poisson, index, j);
      this.keyHi[a] = key.hi;
      this.keyLo[a] = key.lo;
    });
  }

  emit(t: number): void {
    if (t < this.firstStep || t >= this.stopStep) return;
    const { activeOutputs, keyHi, keyLo, sampler } = this;
    for (let a = 0; a < activeOutputs.length; a++) {
      const count = sampler.sample(keyHi[a], keyLo[a], t);
      if (count > 0) this.deliver(activeOutputs[a], t, count, false);
    }
  }
}

/** A constant current [pA] while active. */
export class DcSource extends GeneratorSource {
  private readonly amplitude: number;
  private readonly firstStep: number;
  private readonly stopStep: number;

  constructor(description: GeneratorDescription, dt: number, links: readonly GeneratorLink[], ringSize: number) {
    super(description, links, ringSize);
    const p = description.params as Record<string, number>;
    this.amplitude = p.amplitude;
    this.firstStep = Math.ceil(p.start / dt - 1e-9);
    this.stopStep = Math.min(Math.ceil(p.stop / dt - 1e-9), 2 ** 31);
  }

  emit(t: number): void {
    if (t < this.firstStep || t >= this.stopStep || this.amplitude === 0) return;
    for (const j of this.activeOutputs) this.deliver(j, t, this.amplitude, true);
  }
}

/** Spikes at listed times, per output. */
export class SpikeListSource extends GeneratorSource {
  /** (step, output) pairs of the local outputs, sorted by step then output. */
  private readonly steps: Int32Array;
  private readonly outputs: Uint32Array;
  private next = 0;

  constructor(description: GeneratorDescription, dt: number, links: readonly GeneratorLink[], ringSize: number) {
    super(description, links, ringSize);
    const lists = description.params.spike_times as number[][];
    const events: Array<[number, number]> = [];
    for (const j of this.activeOutputs) for (const time of lists[j]) events.push([Math.round(time / dt) - 1, j]);
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.steps = Int32Array.from(events, (e) => e[0]);
    this.outputs = Uint32Array.from(events, (e) => e[1]);
  }

  emit(t: number): void {
    while (this.next < this.steps.length && this.steps[this.next] < t) this.next++;
    while (this.next < this.steps.length && this.steps[this.next] === t) {
      // Repeated times on one output are a spike count, delivered one by one.
      this.deliver(this.outputs[this.next++], t, 1, false);
    }
  }
}
