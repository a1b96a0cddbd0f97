/**
 * One partition on one worker thread. It builds its own neurons and their incoming synapses from the
 * description, then runs the chunk loop with its peers:
 *
 *   advance one chunk → write own spikes to the shared slab → barrier →
 *   merge every worker's slab in canonical order → deliver → (every few chunks) send monitor data
 *
 * Monitor data goes to the coordinator by message, off the critical path.
 */
import type { MessagePort } from 'node:worker_threads';
import { PartitionEngine } from '../src/engine/partitionEngine.ts';
import type { PartitionPlan } from '../src/engine/layout.ts';
import { mergeSpikes } from '../src/engine/mergeSpikes.ts';
import { emptyChunkSpikes } from '../src/engine/population.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import { PeerAborted, ThreadBarrier } from '../src/exchange/barrier.ts';
import { slabView, writeSlab } from '../src/exchange/spikeSlabs.ts';
import type { PartitionSummary } from '../src/exchange/messages.ts';
import { MonitorBatcher } from '../src/exchange/monitorBatcher.ts';

export interface PartitionTask {
  readonly description: NetworkDescription;
  readonly plans: readonly PartitionPlan[];
  readonly worker: number;
  readonly steps: number;
  /** Chunks per monitor message. */
  readonly chunksPerBatch: number;
  readonly control: SharedArrayBuffer;
  readonly slabs: readonly SharedArrayBuffer[];
  readonly port: MessagePort;
  /** For tests of failure handling: throw, or end the thread, at the chunk that starts at `step`. */
  readonly injectFailure?: { step: number; kind: 'throw' | 'exit' };
}

export async function runPartition(task: PartitionTask): Promise<PartitionSummary> {
  const { description, plans, worker, steps, port } = task;
  const workers = plans.length;
  const barrier = new ThreadBarrier(task.control, workers);
  let first = 0;
  try {
    const buildStart = performance.now();
    const engine = new PartitionEngine(description, plans[worker]);
    const build_s = (performance.now() - buildStart) / 1000;
    const L = engine.chunkSteps;
    const mine = [0, 1].map((parity) => slabView(task.slabs[worker], parity));
    const all = [0, 1].map((parity) => task.slabs.map((slab) => slabView(slab, parity)));
    // Every worker's spikes of a chunk, as lists over the slabs; only their counts change per chunk.
    const incoming = all.map((views) => views.map((view) => ({ steps: view.steps, gids: view.gids, count: 0 })));
    const merged = emptyChunkSpikes(Math.max(1, description.populations.reduce((n, p) => n + p.size, 0) * L));
    const batch = new MonitorBatcher(engine, task.chunksPerBatch, worker, (message) => {
      const buffers = [message.spikeSteps.buffer, message.spikeGids.buffer, ...message.traces.map((t) => t.values.buffer)] as ArrayBuffer[];
      port.postMessage(message, buffers);
    });
    let compute = 0;
    let wait = 0;
    barrier.arrive(); // everyone built: the simulation starts together
    for (let chunk = 0; first < steps; chunk++, first += L) {
      barrier.setProgress(worker, first);
      if (first === task.injectFailure?.step) {
        if (task.injectFailure.kind === 'exit') process.exit(1);
        throw new Error(`injected failure at step ${first}`);
      }
      const n = Math.min(L, steps - first);
      const t0 = performance.now();
      engine.advance(first, n);
      writeSlab(mine[chunk & 1], engine.spikes);
      batch.add(first, n);
      const t1 = performance.now();
      barrier.arrive();
      const t2 = performance.now();
      const lists = incoming[chunk & 1];
      all[chunk & 1].forEach((view, w) => (lists[w].count = view.header[0]));
      mergeSpikes(lists, merged);
      engine.deliver(merged);
      compute += t1 - t0 + (performance.now() - t2);
      wait += t2 - t1;
    }
    batch.flush();
    return {
      worker,
      neurons: engine.populations.reduce((n, p) => n + p.size, 0),
      synapses: engine.synapseCount,
      build_s,
      compute_s: compute / 1000,
      wait_s: wait / 1000,
      neuron_events: engine.neuronEvents,
      generator_events: engine.generatorEvents,
    };
  } catch (error) {
    if (!(error instanceof PeerAborted)) barrier.abort();
    throw error instanceof PeerAborted ? error : new Error(`worker ${worker} failed at step ${first}: ${(error as Error).message}`);
  } finally {
    port.close();
  }
}
