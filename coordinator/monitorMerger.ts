/**
 * Puts the monitor batches of all workers back together: when every worker's batch for the same
 * steps has arrived, their spikes are merged into canonical order and their traces placed side by
 * side in each monitor's slice, and the result goes to the recorders as one `ChunkRecord`.
 */
import { mergeSpikes } from '../src/engine/mergeSpikes.ts';
import { emptyChunkSpikes } from '../src/engine/population.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import type { ChunkRecord } from '../src/monitor/chunkRecord.ts';
import { sliceOf } from '../src/monitor/recorder.ts';
import type { MonitorBatch } from '../src/exchange/messages.ts';
import { InternalError } from '../src/errors.ts';

export class MonitorMerger {
  private readonly pending = new Map<number, MonitorBatch[]>();
  private nextStep = 0;

  constructor(
    private readonly description: NetworkDescription,
    private readonly workers: number,
    private readonly emit: (record: ChunkRecord) => void,
  ) {}

  add(batch: MonitorBatch): void {
    const batches = this.pending.get(batch.firstStep) ?? [];
    batches.push(batch);
    this.pending.set(batch.firstStep, batches);
    // Batches are cut at the same steps on every worker; emit them in step order.
    for (let ready = this.pending.get(this.nextStep); ready && ready.length === this.workers; ready = this.pending.get(this.nextStep)) {
      this.pending.delete(this.nextStep);
      this.emit(this.merge(ready));
      this.nextStep += ready[0].steps;
    }
    if (this.waiting && this.nextStep >= this.waiting.steps) this.waiting.resolve();
  }

  private waiting: { steps: number; resolve: () => void; reject: (error: Error) => void } | null = null;
  /** Why no more data will be merged (a recorder failed), once it is so. */
  private stopped: Error | null = null;

  /**
   * Resolves once `steps` steps have been merged (the last batches may still be in flight); rejects
   * with the reason given to `stop`, if it comes first.
   */
  reached(steps: number, timeoutMs = 30000): Promise<void> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.nextStep >= steps) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new InternalError(`monitor data stopped at step ${this.nextStep} of ${steps}`)), timeoutMs);
      this.waiting = { steps, resolve: () => (clearTimeout(timer), resolve()), reject: (error) => (clearTimeout(timer), reject(error)) };
    });
  }

  /** No more data will be merged, for `reason`: whoever waits in `reached` hears it now. */
  stop(reason: Error): void {
    this.stopped = reason;
    this.waiting?.reject(reason);
  }

  private merge(batches: MonitorBatch[]): ChunkRecord {
    const { firstStep, steps } = batches[0];
    if (batches.some((b) => b.steps !== steps)) throw new InternalError(`workers cut their monitor batches at step ${firstStep} differently`);
    const lists = batches.map((b) => ({ steps: b.spikeSteps, gids: b.spikeGids, count: b.spikeSteps.length }));
    const spikes = emptyChunkSpikes(Math.max(1, lists.reduce((n, l) => n + l.count, 0)));
    mergeSpikes(lists, spikes);
    const traces = this.description.monitors.map((monitor, index) => {
      if (monitor.attr === 'spike') return null;
      const [from, to] = sliceOf(this.description, index);
      const width = to - from;
      const values = new Float64Array(steps * width);
      for (const batch of batches) {
        for (const part of batch.traces) {
          if (part.monitor !== index) continue;
          for (let s = 0; s < steps; s++) values.set(part.values.subarray(s * part.width, (s + 1) * part.width), s * width + part.offset);
        }
      }
      return values;
    });
    return { firstStep, steps, spikes, traces };
  }
}
