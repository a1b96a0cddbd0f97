/**
 * One partition on one worker thread. It builds its own neurons and their incoming synapses from the
 * description, then runs the chunk loop:
 *
 *   advance one chunk → share own spikes → wait for everyone's (the barrier) →
 *   deliver every partition's spikes in canonical order → (every few chunks) send monitor data
 *
 * Two kinds of task run this loop: a partition of a run on one machine, which trades spikes with its
 * peer threads (`runPeerPartition`), and a partition hosted by a worker node, which trades them
 * through the node's main thread (`runNodePartition`). Monitor data goes by message, off the
 * critical path.
 */
import type { MessagePort } from 'node:worker_threads';
import { buildSynapseTables, PartitionEngine } from '../src/engine/partitionEngine.ts';
import { totalNeurons, type PartitionPlan } from '../src/engine/layout.ts';
import { chunkSteps } from '../src/engine/timing.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import { PeerAborted } from '../src/exchange/barrier.ts';
import type { PartitionSummary, ThreadMessage } from '../src/exchange/messages.ts';
import { MonitorBatcher } from '../src/exchange/monitorBatcher.ts';
import { RelayThreadSide, type RelayBuffers } from '../src/exchange/nodeRelay.ts';
import { PeerExchange } from '../src/exchange/peerExchange.ts';
import type { SpikeExchange } from '../src/exchange/spikeExchange.ts';
import { DrawAhead, PartitionFailure, PartitionRun, type InjectedFailure } from './partitionRun.ts';

interface PartitionTask {
  readonly description: NetworkDescription;
  readonly steps: number;
  /** Chunks per monitor message. */
  readonly chunksPerBatch: number;
  /** Where monitor batches and the other `ThreadMessage`s go. */
  readonly port: MessagePort;
  readonly injectFailure?: InjectedFailure;
}

export interface PeerPartitionTask extends PartitionTask {
  readonly plans: readonly PartitionPlan[];
  readonly worker: number;
  readonly control: SharedArrayBuffer;
  readonly slabs: readonly SharedArrayBuffer[];
}

export interface NodePartitionTask extends PartitionTask {
  readonly plan: PartitionPlan;
  /** This thread's index among the node's threads. */
  readonly thread: number;
  readonly relay: RelayBuffers;
}

/** A partition of a run on one machine; resolves to its summary. */
export async function runPeerPartition(task: PeerPartitionTask): Promise<PartitionSummary> {
  const exchange = new PeerExchange(task.control, task.slabs, task.worker, totalNeurons(task.description) * chunkSteps(task.description));
  try {
    // Everyone built: the simulation starts together.
    return runPartition(task, task.plans[task.worker], exchange, () => exchange.meet());
  } finally {
    task.port.close();
  }
}

/** A partition hosted by a worker node; its summary goes on the port, after its last batch. */
export async function runNodePartition(task: NodePartitionTask): Promise<void> {
  try {
    const summary = runPartition(task, task.plan, new RelayThreadSide(task.relay, task.thread), () => {});
    post(task.port, { kind: 'done', summary });
  } finally {
    task.port.close();
  }
}

function runPartition(task: PartitionTask, plan: PartitionPlan, exchange: SpikeExchange, built: () => void): PartitionSummary {
  const { description, steps, port } = task;
  let run: PartitionRun | null = null;
  try {
    const buildStart = performance.now();
    const tables = buildSynapseTables(description, plan, (fraction) => post(port, { kind: 'building', partition: plan.index, fraction }));
    const engine = new PartitionEngine(description, plan, tables);
    const build_s = (performance.now() - buildStart) / 1000;
    post(port, { kind: 'built', partition: plan.index, neurons: engine.neurons, synapses: engine.synapseCount, build_s });
    const batcher = new MonitorBatcher(engine, task.chunksPerBatch, plan.index, (message) => post(port, { kind: 'batch', batch: message }));
    run = new PartitionRun(engine, batcher, steps, build_s, task.injectFailure);
    built();
    const drawing = new DrawAhead(engine);
    for (let chunk = 0; chunk * engine.chunkSteps < steps; chunk++) {
      exchange.setProgress(chunk * engine.chunkSteps);
      run.advance(chunk);
      const t0 = performance.now();
      exchange.share(chunk, engine.spikes);
      const t1 = performance.now();
      exchange.wait(chunk, drawing.piece);
      const t2 = performance.now();
      const received = exchange.received(chunk);
      run.deliver(received, t1 - t0 + performance.now() - t2, drawing.spent());
    }
    return run.summary();
  } catch (error) {
    if (error instanceof PeerAborted) throw error;
    exchange.abort();
    throw error instanceof PartitionFailure ? error : new PartitionFailure(plan.index, run?.first ?? 0, error);
  }
}

/**
 * Sends a message, copying its arrays. Handing their memory over instead would detach an ArrayBuffer
 * in this thread, and from the first one V8 compiles every typed-array access with a check for a
 * detached buffer (it gives up its `ArrayBufferDetaching` protector): Brunel's kernels then ran
 * ≈ 30 % slower for the rest of the run. A batch is small beside that: its spikes, and its traces.
 */
function post(port: MessagePort, message: ThreadMessage): void {
  port.postMessage(message);
}
