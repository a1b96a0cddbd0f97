/**
 * Collects one partition's spikes and monitored values over several chunks and hands them on as a
 * `MonitorBatch` — to the coordinator, by whatever transport carries it (a MessagePort between
 * threads, the gRPC stream between nodes). Batches are cut every `chunksPerBatch` chunks, the same
 * steps on every partition, so the coordinator can merge them.
 */
import type { PartitionEngine } from '../engine/partitionEngine.ts';
import { emptyChunkSpikes } from '../engine/population.ts';
import type { MonitorBatch } from './messages.ts';

export class MonitorBatcher {
  private firstStep = 0;
  private steps = 0;
  private chunks = 0;
  /** This batch's spikes so far: `spikes.count` of them. */
  private spikes = emptyChunkSpikes(1024);
  private readonly traces: Float64Array[];

  constructor(
    private readonly engine: PartitionEngine,
    private readonly chunksPerBatch: number,
    private readonly partition: number,
    private readonly send: (batch: MonitorBatch) => void,
  ) {
    this.traces = engine.traces.map((t) => new Float64Array(chunksPerBatch * t.buffer.length));
  }

  /** Takes the chunk the engine just advanced (`steps` steps from `first`). */
  add(first: number, steps: number): void {
    if (this.chunks === 0) this.firstStep = first;
    const { spikes, traces } = this.engine;
    if (this.spikes.count + spikes.count > this.spikes.steps.length) {
      const grown = emptyChunkSpikes(2 * (this.spikes.count + spikes.count));
      grown.steps.set(this.spikes.steps.subarray(0, this.spikes.count));
      grown.gids.set(this.spikes.gids.subarray(0, this.spikes.count));
      grown.count = this.spikes.count;
      this.spikes = grown;
    }
    this.spikes.steps.set(spikes.steps.subarray(0, spikes.count), this.spikes.count);
    this.spikes.gids.set(spikes.gids.subarray(0, spikes.count), this.spikes.count);
    this.spikes.count += spikes.count;
    traces.forEach((trace, m) => {
      const width = trace.to - trace.from;
      this.traces[m].set(trace.buffer.subarray(0, steps * width), this.steps * width);
    });
    this.steps += steps;
    if (++this.chunks === this.chunksPerBatch) this.flush();
  }

  flush(): void {
    if (this.chunks === 0) return;
    // Copies of exactly this batch: they outlive the buffers, which the next batch reuses, and a
    // message carrying a view would copy the whole buffer behind it.
    this.send({
      worker: this.partition,
      firstStep: this.firstStep,
      steps: this.steps,
      spikeSteps: this.spikes.steps.slice(0, this.spikes.count),
      spikeGids: this.spikes.gids.slice(0, this.spikes.count),
      traces: this.engine.traces.map((trace, m) => ({
        monitor: trace.monitor,
        offset: trace.offset,
        width: trace.to - trace.from,
        values: this.traces[m].slice(0, this.steps * (trace.to - trace.from)),
      })),
    });
    this.spikes.count = 0;
    this.steps = 0;
    this.chunks = 0;
  }
}
