/**
 * What a coordinator does with a distributed run's results, whatever the transport: reports how far
 * the partitions have built, hands merged monitor chunks to the recorders and the spike digest as
 * they complete, reports progress, and at the end sums the partitions' summaries into the run's
 * statistics.
 */
import { populationOffsets } from '../src/engine/layout.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import type { MonitorBatch, PartitionSummary } from '../src/exchange/messages.ts';
import type { Recorder } from '../src/monitor/recorder.ts';
import { SpikeDigest } from '../src/monitor/spikeDigest.ts';
import type { RunStats } from '../src/run/runLocal.ts';
import type { ThreadRunOptions } from '../src/run/runners.ts';
import { MonitorMerger } from './monitorMerger.ts';

export class RunCollector {
  private readonly merger: MonitorMerger;
  private readonly digest: SpikeDigest;
  private readonly recorders: readonly Recorder[];
  private readonly onBuildProgress: ((fraction: number) => void) | undefined;
  /** Per partition, the fraction of its synapses built. */
  private readonly built: Float64Array;
  /** What a recorder threw (a full disk, say): it ends the run. */
  private failure: Error | null = null;

  constructor(
    description: NetworkDescription,
    partitions: number,
    private readonly steps: number,
    { recorders = [], onProgress, onBuildProgress }: Pick<ThreadRunOptions, 'recorders' | 'onProgress' | 'onBuildProgress'>,
  ) {
    this.recorders = recorders;
    this.onBuildProgress = onBuildProgress;
    this.built = new Float64Array(partitions);
    this.digest = new SpikeDigest(populationOffsets(description));
    for (const recorder of recorders) recorder.begin({ description, steps });
    this.merger = new MonitorMerger(description, partitions, (record) => {
      this.digest.add(record.spikes);
      for (const recorder of recorders) recorder.record(record);
      onProgress?.(record.firstStep + record.steps, steps);
    });
    onProgress?.(0, steps);
  }

  /**
   * A worker's monitor batch, merged and recorded once every worker's batch of the same steps has
   * come. Returns false once recording has failed: the caller ends the run, and `finish` and
   * `throwIfFailed` throw what the recorder threw.
   */
  add(batch: MonitorBatch): boolean {
    if (this.failure) return false;
    try {
      this.merger.add(batch);
      return true;
    } catch (error) {
      this.failure = error as Error;
      this.merger.stop(this.failure);
      return false;
    }
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** Partition `partition` has built `fraction` of its synapses: reports the mean over all partitions. */
  building(partition: number, fraction: number): void {
    this.built[partition] = fraction;
    this.onBuildProgress?.(this.built.reduce((sum, f) => sum + f, 0) / this.built.length);
  }

  /** Waits for the last monitor data, closes the recorders and sums the partitions' summaries. */
  async finish(summaries: readonly PartitionSummary[]): Promise<RunStats> {
    await this.merger.reached(this.steps);
    for (const recorder of this.recorders) recorder.finish();
    const neuron_events = summaries.reduce((n, s) => n + s.neuron_events, 0);
    const generator_events = summaries.reduce((n, s) => n + s.generator_events, 0);
    return {
      steps: this.steps,
      workers: summaries.length,
      build_s: Math.max(...summaries.map((s) => s.build_s)),
      // Workers start together after building; the run lasts as long as the slowest.
      sim_s: Math.max(...summaries.map((s) => s.compute_s + s.wait_s)),
      synapses: summaries.reduce((n, s) => n + s.synapses, 0),
      events: neuron_events + generator_events,
      neuron_events,
      generator_events,
      spikes: this.digest.total,
      spikes_sha256: this.digest.hex(),
      population_spikes: this.digest.counts,
      per_worker: summaries,
    };
  }
}
