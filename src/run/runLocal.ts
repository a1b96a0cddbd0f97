/**
 * A run in this process on one partition that owns the whole network. The loop is the same one a
 * coordinator drives across workers: advance one chunk, deliver the chunk's spikes in canonical
 * order, hand the chunk to the recorders.
 */
import { buildSynapseTables, PartitionEngine } from '../engine/partitionEngine.ts';
import { populationOffsets, wholeNetwork } from '../engine/layout.ts';
import type { NetworkDescription } from '../ir/description.ts';
import { checkNetworkFits } from './networkFits.ts';
import type { Recorder } from '../monitor/recorder.ts';
import { SpikeDigest } from '../monitor/spikeDigest.ts';

export interface RunOptions {
  readonly steps: number;
  readonly recorders?: readonly Recorder[];
  /** Called as the simulation starts (0 steps done) and after each chunk with the steps done so far. */
  readonly onProgress?: (stepsDone: number, stepsTotal: number) => void;
  /** Called while building, after each projection, with the fraction of all synapses built so far. */
  readonly onBuildProgress?: (fraction: number) => void;
}

export interface RunStats {
  readonly steps: number;
  readonly workers: number;
  readonly build_s: number;
  readonly sim_s: number;
  readonly synapses: number;
  /** Synaptic events from neuron spikes and from generator spikes. */
  readonly events: number;
  readonly neuron_events: number;
  readonly generator_events: number;
  readonly spikes: number;
  readonly spikes_sha256: string;
  /** Spikes per population, in description order. */
  readonly population_spikes: readonly number[];
}

export function runLocal(description: NetworkDescription, options: RunOptions): RunStats {
  checkNetworkFits(description, 1, 1);
  const recorders = options.recorders ?? [];
  const buildStart = performance.now();
  const plan = wholeNetwork(description);
  const engine = new PartitionEngine(description, plan, buildSynapseTables(description, plan, options.onBuildProgress));
  const build_s = (performance.now() - buildStart) / 1000;

  const digest = new SpikeDigest(populationOffsets(description));
  for (const recorder of recorders) recorder.begin({ description, steps: options.steps });
  const traceOf = description.monitors.map((_, index) => engine.traces.find((t) => t.monitor === index)?.buffer ?? null);

  const simStart = performance.now();
  options.onProgress?.(0, options.steps);
  for (let first = 0; first < options.steps; first += engine.chunkSteps) {
    const steps = Math.min(engine.chunkSteps, options.steps - first);
    engine.advance(first, steps);
    // Every spike of the chunk is delivered before the next chunk reads its input.
    engine.deliver(engine.spikes);
    digest.add(engine.spikes);
    const record = { firstStep: first, steps, spikes: engine.spikes, traces: traceOf };
    for (const recorder of recorders) recorder.record(record);
    options.onProgress?.(first + steps, options.steps);
  }
  const sim_s = (performance.now() - simStart) / 1000;
  for (const recorder of recorders) recorder.finish();

  return {
    steps: options.steps,
    workers: 1,
    build_s,
    sim_s,
    synapses: engine.synapseCount,
    events: engine.neuronEvents + engine.generatorEvents,
    neuron_events: engine.neuronEvents,
    generator_events: engine.generatorEvents,
    spikes: digest.total,
    spikes_sha256: digest.hex(),
    population_spikes: digest.counts,
  };
}

/** Steps in a run of `tMs`: round(t/dt). */
export function stepsFor(tMs: number, dt: number): number {
  return Math.round(tMs / dt);
}
