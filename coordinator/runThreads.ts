/**
 * A run split over worker threads. The coordinator plans the partitions, starts one task per
 * worker in a piscina pool, and — while the workers advance chunks and exchange spikes among
 * themselves through shared memory — merges their monitor batches for the recorders. A worker that
 * fails ends the run for all with an error that names it and the step; no thread is left behind.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { ownedNeurons } from '../src/engine/layout.ts';
import { chunkSteps } from '../src/engine/timing.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import { requireInteger } from '../src/ir/checks.ts';
import { checkNetworkFits } from '../src/run/networkFits.ts';
import { recordedBytes } from '../src/monitor/recorder.ts';
import { controlBlock, PEER_ABORTED, ThreadBarrier } from '../src/exchange/barrier.ts';
import { spikeSlab } from '../src/exchange/spikeSlabs.ts';
import type { PartitionSummary, ThreadMessage } from '../src/exchange/messages.ts';
import { checkSteps, type RunStats } from '../src/run/runLocal.ts';
import type { ThreadRunOptions } from '../src/run/runners.ts';
import type { PeerPartitionTask } from '../worker/partitionThread.ts';
import { partitionPool } from '../worker/threadPool.ts';
import { RunCollector } from './runCollector.ts';
import { planPartitions } from './planPartitions.ts';

export class WorkerError extends Error {
  override readonly name = 'WorkerError';
  constructor(
    readonly worker: number,
    readonly step: number,
    message: string,
  ) {
    super(message);
  }
}

function defaultWorkers(): number {
  return availableParallelism();
}

export async function runThreads(description: NetworkDescription, options: ThreadRunOptions): Promise<RunStats> {
  const workers = options.workers ?? defaultWorkers();
  checkSteps('runThreads', options.steps);
  requireInteger('runThreads', 'workers', workers, 1);
  checkNetworkFits(description, workers, workers, { recorded: recordedBytes(options.recorders ?? [], { description, steps: options.steps }) });
  const plans = planPartitions(description, workers);
  const L = chunkSteps(description);
  const collector = new RunCollector(description, workers, options.steps, options);

  const control = controlBlock(workers);
  const barrier = new ThreadBarrier(control, workers);
  const slabs = plans.map((plan) => spikeSlab(Math.max(1, ownedNeurons(plan) * L)));
  const pool = await partitionPool(workers, 1000);
  const ports: MessagePort[] = [];
  try {
    const tasks = plans.map((_, worker) => {
      const { port1, port2 } = new MessageChannel();
      ports.push(port1);
      port1.on('message', (message: ThreadMessage) => {
        if (message.kind === 'batch') {
          // A recorder that cannot write (a full disk, say) ends the run: the workers are released at once.
          if (!collector.add(message.batch)) barrier.abort();
        } else if (message.kind === 'building') {
          collector.building(message.partition, message.fraction);
        }
      });
      const task: PeerPartitionTask = {
        description, plans, worker, steps: options.steps, control, slabs, port: port2,
        chunksPerBatch: Math.max(1, Math.ceil((options.batchSteps ?? 1000) / L)),
        injectFailure: options.injectFailure?.worker === worker ? options.injectFailure : undefined,
      };
      // Whatever ends a task early — an error, a dead thread — must release the others at once.
      return pool.run(task, { transferList: [port2] }).catch((error: unknown) => {
        barrier.abort();
        throw error;
      });
    });
    const settled = await Promise.allSettled(tasks);
    // The workers that stopped because recording failed did nothing wrong: the recorder's error is the run's.
    collector.throwIfFailed();
    const rejected = settled.flatMap((s, worker) => (s.status === 'rejected' ? [{ worker, reason: s.reason as Error }] : []));
    if (rejected.length > 0) {
      barrier.abort();
      // Name the worker that failed, not the ones it released from the barrier.
      const { worker, reason } = rejected.find((r) => !String(r.reason?.message).includes(PEER_ABORTED)) ?? rejected[0];
      const step = barrier.progress(worker);
      const message = reason.message.startsWith(`worker ${worker} failed`) ? reason.message : `worker ${worker} stopped at step ${step}: ${reason.message}`;
      throw new WorkerError(worker, step, message);
    }
    return await collector.finish(settled.map((s) => (s as PromiseFulfilledResult<PartitionSummary>).value));
  } finally {
    for (const port of ports) port.close();
    await pool.destroy();
  }
}
