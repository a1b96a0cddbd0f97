/**
 * Spike exchange inside a worker node, between its partition threads and its main thread, which
 * speaks to the coordinator (and runs a partition of its own). Per chunk:
 *
 *   each thread writes its spikes to its own slab and counts itself in → the main thread, woken when
 *   all have, merges the slabs with its own spikes and sends them up → it writes the merged spikes
 *   of every partition that come back into shared memory and releases the threads → each thread
 *   delivers them
 *
 * Only counters move: the spikes themselves stay in shared memory. The main thread waits with
 * `Atomics.waitAsync`, so its event loop (the gRPC stream) keeps running. One merged buffer is
 * enough: the main thread writes chunk c + 1's only after every thread has counted itself in for
 * c + 1, that is after each has delivered chunk c.
 */
import { mergeSpikes } from '../engine/mergeSpikes.ts';
import { emptyChunkSpikes, type ChunkSpikes } from '../engine/population.ts';
import { PeerAborted, SHORT_SPIN, WAKE_MS, waitForChange, everyThreadHasACore } from './barrier.ts';
import type { SpikeExchange } from './spikeExchange.ts';
import { SlabLists, slabView, spikeSlab, writeSlab, type SlabView } from './spikeSlabs.ts';

/** Int32 slots of the control block. */
const ARRIVED = 0; // slab writes so far, all threads and chunks together
const RELEASED = 1; // chunks whose merged spikes are ready to deliver
const ABORTED = 2;
/** Per thread, from this slot on: the first step of the chunk it is working on. */
const PROGRESS = 4;

/** The shared memory of one node's run; it goes to every thread with its task. */
export interface RelayBuffers {
  readonly control: SharedArrayBuffer;
  /** One per thread. */
  readonly slabs: readonly SharedArrayBuffer[];
  /** The merged spikes of every partition, as the coordinator sent them. */
  readonly merged: SharedArrayBuffer;
}

/** `slabCapacities`: the most spikes each thread can emit in one chunk; `mergedCapacity`: all partitions'. */
export function relayBuffers(slabCapacities: readonly number[], mergedCapacity: number): RelayBuffers {
  return {
    control: new SharedArrayBuffer(4 * (PROGRESS + slabCapacities.length)),
    slabs: slabCapacities.map((capacity) => spikeSlab(Math.max(1, capacity))),
    merged: spikeSlab(Math.max(1, mergedCapacity)),
  };
}

/** What one partition thread sees of the relay. */
export class RelayThreadSide implements SpikeExchange {
  private readonly control: Int32Array;
  private readonly mine: SlabView[];
  private readonly merged: SlabView;
  private readonly incoming: ChunkSpikes;
  /** Whether to work while waiting: the node's threads and its main thread each have a core. */
  private readonly idleWork: boolean;

  constructor(
    buffers: RelayBuffers,
    private readonly thread: number,
  ) {
    this.idleWork = everyThreadHasACore(buffers.slabs.length + 1);
    this.control = new Int32Array(buffers.control);
    this.mine = [0, 1].map((parity) => slabView(buffers.slabs[thread], parity));
    this.merged = slabView(buffers.merged, 0);
    this.incoming = { steps: this.merged.steps, gids: this.merged.gids, count: 0 };
  }

  /** Hands this thread's spikes of `chunk` to the main thread. */
  share(chunk: number, spikes: ChunkSpikes): void {
    writeSlab(this.mine[chunk & 1], spikes);
    Atomics.add(this.control, ARRIVED, 1);
    Atomics.notify(this.control, ARRIVED);
  }

  /** Waits until the merged spikes of `chunk` are in; throws `PeerAborted` if the run was aborted. */
  wait(chunk: number, idle?: () => boolean): void {
    // Released counts whole chunks: it holds `chunk` until the main thread releases this one. The
    // wait spans a round trip to the coordinator, longer than any spin is worth: spin briefly, then
    // leave the core to the main thread and the network.
    waitForChange(this.control, RELEASED, chunk, ABORTED, SHORT_SPIN, this.idleWork ? idle : undefined);
  }

  /** The merged spikes of the chunk just waited for. */
  received(): ChunkSpikes {
    this.incoming.count = this.merged.header[0];
    return this.incoming;
  }

  setProgress(step: number): void {
    Atomics.store(this.control, PROGRESS + this.thread, step);
  }

  /** Ends the run: wakes the main thread, which finds out why from the failed task. */
  abort(): void {
    Atomics.store(this.control, ABORTED, 1);
    Atomics.notify(this.control, ARRIVED);
    Atomics.notify(this.control, RELEASED);
  }
}

/** What the node's main thread sees of the relay. */
export class RelayNodeSide {
  private readonly control: Int32Array;
  private readonly slabs: SlabLists;
  /** Per parity: the main thread's own spikes (set per chunk), then the threads' slabs. */
  private readonly lists: ChunkSpikes[][];
  private readonly merged: SlabView;
  readonly threads: number;

  constructor(buffers: RelayBuffers) {
    this.control = new Int32Array(buffers.control);
    this.slabs = new SlabLists(buffers.slabs);
    this.lists = this.slabs.lists.map((lists) => [emptyChunkSpikes(0), ...lists]);
    this.merged = slabView(buffers.merged, 0);
    this.threads = buffers.slabs.length;
  }

  /** Resolves once every thread has shared its spikes of `chunk`; throws `PeerAborted` on abort. */
  async arrivals(chunk: number): Promise<void> {
    const c = this.control;
    const due = this.threads * (chunk + 1);
    for (let arrived = Atomics.load(c, ARRIVED); arrived < due; arrived = Atomics.load(c, ARRIVED)) {
      if (Atomics.load(c, ABORTED) !== 0) throw new PeerAborted();
      const waiting = Atomics.waitAsync(c, ARRIVED, arrived, WAKE_MS);
      if (waiting.async) await waiting.value;
    }
    if (Atomics.load(c, ABORTED) !== 0) throw new PeerAborted();
  }

  /** Merges `own` (the main thread's partition) and the threads' spikes of `chunk` (after `arrivals`) into `out`, in canonical order. */
  collect(chunk: number, own: ChunkSpikes, out: ChunkSpikes): void {
    this.slabs.read(chunk); // counts the lists shared with `this.lists`
    const lists = this.lists[chunk & 1];
    lists[0] = own;
    mergeSpikes(lists, out);
  }

  /** Hands the threads every partition's spikes of `chunk` and lets them deliver. */
  release(chunk: number, steps: Int32Array, gids: Uint32Array): void {
    if (steps.length !== gids.length || steps.length > this.merged.steps.length) {
      throw new RangeError(`chunk ${chunk} brought ${steps.length} steps and ${gids.length} ids; at most ${this.merged.steps.length} of each fit`);
    }
    this.merged.steps.set(steps);
    this.merged.gids.set(gids);
    this.merged.header[0] = steps.length;
    Atomics.store(this.control, RELEASED, chunk + 1);
    Atomics.notify(this.control, RELEASED);
  }

  progress(thread: number): number {
    return Atomics.load(this.control, PROGRESS + thread);
  }

  abort(): void {
    Atomics.store(this.control, ABORTED, 1);
    Atomics.notify(this.control, RELEASED);
  }
}
