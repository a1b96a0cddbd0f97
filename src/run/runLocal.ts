/**
 * A run in this process on one partition that owns the whole network. The loop is the same one a
 * coordinator drives across workers: advance one chunk, deliver the chunk's spikes in canonical
 * order, hand the chunk to the recorders.
 */
import { buildSynapseTables, PartitionEngine } from '../engine/partitionEngine.ts';
import { populationOffsets, wholeNetwork } from '../engine/layout.ts';
import type { PartitionSummary } from '../exchange/messages.ts';
import type { NetworkDescription } from '../ir/description.ts';
import { ModelError } from '../errors.ts';
import { requireInteger } from '../ir/checks.ts';
import { checkNetworkFits } from './networkFits.ts';
import { recordedBytes, type Recorder } from '../monitor/recorder.ts';
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
  /** Per worker (one here): its size and where its time went. */
  readonly per_worker: readonly PartitionSummary[];
}

export function runLocal(description: NetworkDescription, options: RunOptions): RunStats {
  checkSteps('runLocal', options.steps);
  const recorders = options.recorders ?? [];
  checkNetworkFits(description, 1, 1, { recorded: recordedBytes(recorders, { description, steps: options.steps }) });
  // Before the build, as on threads and nodes: a recorder that refuses the run does so at once.
  for (const recorder of recorders) recorder.begin({ description, steps: options.steps });
  const buildStart = performance.now();
  const plan = wholeNetwork(description);
  const engine = new PartitionEngine(description, plan, buildSynapseTables(description, plan, options.onBuildProgress));
  const build_s = (performance.now() - buildStart) / 1000;

  const digest = new SpikeDigest(populationOffsets(description));
  const traceOf = description.monitors.map((_, index) => engine.traces.find((t) => t.monitor === index)?.buffer ?? null);

  const simStart = performance.now();
  let advancing = 0;
  let delivering = 0;
  options.onProgress?.(0, options.steps);
  for (let first = 0; first < options.steps; first += engine.chunkSteps) {
    const steps = Math.min(engine.chunkSteps, options.steps - first);
    const t0 = performance.now();
    engine.advance(first, steps);
    const t1 = performance.now();
    // Every spike of the chunk is delivered before the next chunk reads its input.
    engine.deliver(engine.spikes);
    const t2 = performance.now();
    advancing += t1 - t0;
    delivering += t2 - t1;
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
    // Nothing to wait for or to draw ahead; recording, on the same thread, is not computing.
    per_worker: [engine.summary({
      build_s, compute_s: (advancing + delivering) / 1000, wait_s: 0, advance_s: advancing / 1000, deliver_s: delivering / 1000, draw_ahead_s: 0,
    })],
  };
}

/** Steps are counted in 32 bits (spike lists, monitor data): a run has at most this many. */
const MAX_STEPS = 2 ** 31 - 1;

/** Steps in a run of `tMs`: round(t/dt). */
export function stepsFor(tMs: number, dt: number): number {
  const steps = Math.round(tMs / dt);
  if (steps > MAX_STEPS) {
    throw new ModelError('UNSUPPORTED', `a run of ${tMs} ms in steps of ${dt} ms would take ${steps} steps, more than spikegrid counts (${MAX_STEPS}); run it in parts, or with a larger dt`);
  }
  return steps;
}

/** The runners take a run's length in steps (`stepsFor`): a program that calls one directly gets it checked too. */
export function checkSteps(runner: string, steps: unknown): void {
  requireInteger(runner, 'steps', steps, 0, MAX_STEPS);
}
