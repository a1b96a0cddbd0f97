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
import { PartitionEngine } from '../src/engine/partitionEngine.ts';
import type { PartitionPlan } from '../src/engine/layout.ts';
import { chunkSteps } from '../src/engine/timing.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import { PeerAborted } from '../src/exchange/barrier.ts';
import type { PartitionSummary, ThreadMessage } from '../src/exchange/messages.ts';
import { MonitorBatcher } from '../src/exchange/monitorBatcher.ts';
import { RelayThreadSide, type RelayBuffers } from '../src/exchange/nodeRelay.ts';
import { PeerExchange } from '../src/exchange/peerExchange.ts';
import type { SpikeExchange } from '../src/exchange/spikeExchange.ts';

interface PartitionTask {
  readonly description: NetworkDescription;
  readonly steps: number;
  /** Chunks per monitor message. */
  readonly chunksPerBatch: number;
  /** Where monitor batches and the other `ThreadMessage`s go. */
  readonly port: MessagePort;
  /** For tests of failure handling: throw, or end the thread, at the chunk that starts at `step`. */
  readonly injectFailure?: { step: number; kind: 'throw' | 'exit' };
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
  const neurons = task.description.populations.reduce((n, p) => n + p.size, 0);
  const exchange = new PeerExchange(task.control, task.slabs, task.worker, neurons * chunkSteps(task.description));
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
  const worker = plan.index;
  let first = 0;
  try {
    const buildStart = performance.now();
    const engine = new PartitionEngine(description, plan);
    const build_s = (performance.now() - buildStart) / 1000;
    const neurons = engine.populations.reduce((n, p) => n + p.size, 0);
    post(port, { kind: 'built', partition: worker, neurons, synapses: engine.synapseCount, build_s });
    const L = engine.chunkSteps;
    const batch = new MonitorBatcher(engine, task.chunksPerBatch, worker, (message) => post(port, { kind: 'batch', batch: message }));
    let compute = 0;
    let wait = 0;
    built();
    for (let chunk = 0; first < steps; chunk++, first += L) {
      exchange.setProgress(first);
      if (first === task.injectFailure?.step) {
        if (task.injectFailure.kind === 'exit') process.exit(1);
        throw new Error(`injected failure at step ${first}`);
      }
      const n = Math.min(L, steps - first);
      const t0 = performance.now();
      engine.advance(first, n);
      exchange.share(chunk, engine.spikes);
      batch.add(first, n);
      const t1 = performance.now();
      exchange.wait(chunk);
      const t2 = performance.now();
      engine.deliver(exchange.received(chunk));
      compute += t1 - t0 + (performance.now() - t2);
      wait += t2 - t1;
    }
    batch.flush();
    return {
      worker, neurons, synapses: engine.synapseCount, build_s, compute_s: compute / 1000, wait_s: wait / 1000,
      neuron_events: engine.neuronEvents, generator_events: engine.generatorEvents,
    };
  } catch (error) {
    if (!(error instanceof PeerAborted)) exchange.abort();
    throw error instanceof PeerAborted ? error : new Error(`worker ${worker} failed at step ${first}: ${(error as Error).message}`);
  }
}

/** Sends a message, handing over its arrays' memory rather than copying it. */
function post(port: MessagePort, message: ThreadMessage): void {
  if (message.kind !== 'batch') return port.postMessage(message);
  const { batch } = message;
  port.postMessage(message, [batch.spikeSteps.buffer, batch.spikeGids.buffer, ...batch.traces.map((t) => t.values.buffer)] as ArrayBuffer[]);
}
