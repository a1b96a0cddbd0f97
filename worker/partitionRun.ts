/**
 * One partition's part in the chunk loop, whichever thread runs it: advancing a chunk, cutting
 * monitor batches, counting time computing and waiting, and errors that name the partition and
 * the step. A partition thread drives it in a loop (`partitionThread.ts`); a worker node's main
 * thread drives its own partition chunk by chunk, between messages (`nodeRun.ts`).
 */
import type { PartitionEngine } from '../src/engine/partitionEngine.ts';
import type { ChunkSpikes } from '../src/engine/population.ts';
import type { PartitionSummary } from '../src/exchange/messages.ts';
import type { MonitorBatcher } from '../src/exchange/monitorBatcher.ts';

/**
 * A partition's work on later steps while it waits for the others' spikes (see `PoissonBank`),
 * timed: that time is computing, not waiting.
 */
export class DrawAhead {
  /** Time spent in `piece` since `spent` last told it [ms]. */
  private ms = 0;

  constructor(private readonly engine: PartitionEngine) {}

  /** Does a piece of the work (microseconds); false when there is none left. */
  readonly piece = (): boolean => {
    const start = performance.now();
    const more = this.engine.drawAhead();
    this.ms += performance.now() - start;
    return more;
  };

  /** The time spent in `piece` since the last call [ms]. */
  spent(): number {
    const ms = this.ms;
    this.ms = 0;
    return ms;
  }
}

/** For tests of failure handling: throw, or end the thread, at the chunk that starts at `step`. */
export interface InjectedFailure {
  readonly step: number;
  readonly kind: 'throw' | 'exit';
}

/** An error in a partition, named by partition and step; the message is what users see. */
export class PartitionFailure extends Error {
  constructor(partition: number, step: number, cause: unknown) {
    super(`worker ${partition} failed at step ${step}: ${(cause as Error).message}`);
  }
}

export class PartitionRun {
  /** First step of the chunk being run. */
  first = 0;
  /** Times so far [ms]: computing is their sum but `wait`. */
  private advancing = 0;
  private delivering = 0;
  private drawingAhead = 0;
  /** Sharing, merging or sending spikes. */
  private exchanging = 0;
  private wait = 0;
  /** When the last `advance` ended. */
  private advanced = 0;

  constructor(
    readonly engine: PartitionEngine,
    private readonly batcher: MonitorBatcher,
    private readonly steps: number,
    private readonly build_s: number,
    private readonly injectFailure?: InjectedFailure,
  ) {}

  get partition(): number {
    return this.engine.plan.index;
  }

  /** Runs chunk `chunk`; its spikes land in `engine.spikes`, its monitor data in the batcher. */
  advance(chunk: number): void {
    const { engine, steps } = this;
    const first = (this.first = chunk * engine.chunkSteps);
    try {
      if (first === this.injectFailure?.step) {
        if (this.injectFailure.kind === 'exit') process.exit(1);
        throw new Error(`injected failure at step ${first}`);
      }
      const t0 = performance.now();
      const n = Math.min(engine.chunkSteps, steps - first);
      engine.advance(first, n);
      this.batcher.add(first, n);
      if (first + n >= steps) this.batcher.flush();
      this.advanced = performance.now();
      this.advancing += this.advanced - t0;
    } catch (error) {
      throw new PartitionFailure(this.partition, first, error);
    }
  }

  /**
   * Delivers every partition's spikes of the chunk. Since `advance`, the partition spent
   * `exchanging` sharing, merging or sending spikes, and `drawingAhead` in `DrawAhead` [ms]; the
   * rest of that time it waited.
   */
  deliver(spikes: ChunkSpikes, exchanging: number, drawingAhead: number): void {
    try {
      const t0 = performance.now();
      this.wait += t0 - this.advanced - exchanging - drawingAhead;
      this.engine.deliver(spikes);
      this.delivering += performance.now() - t0;
      this.exchanging += exchanging;
      this.drawingAhead += drawingAhead;
    } catch (error) {
      throw new PartitionFailure(this.partition, this.first, error);
    }
  }

  summary(): PartitionSummary {
    const computing = this.advancing + this.delivering + this.drawingAhead + this.exchanging;
    return this.engine.summary({
      build_s: this.build_s, compute_s: computing / 1000, wait_s: this.wait / 1000,
      advance_s: this.advancing / 1000, deliver_s: this.delivering / 1000, draw_ahead_s: this.drawingAhead / 1000,
    });
  }
}
