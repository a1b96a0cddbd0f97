/**
 * Spike exchange among the worker threads of one run: each writes its spikes to its own slab of
 * shared memory, they meet at a barrier, and each merges every slab itself — no copies through
 * messages, no thread in the middle.
 */
import { mergeSpikes } from '../engine/mergeSpikes.ts';
import { emptyChunkSpikes, type ChunkSpikes } from '../engine/population.ts';
import { ThreadBarrier } from './barrier.ts';
import type { SpikeExchange } from './spikeExchange.ts';
import { SlabLists, slabView, writeSlab, type SlabView } from './spikeSlabs.ts';

export class PeerExchange implements SpikeExchange {
  private readonly barrier: ThreadBarrier;
  private readonly mine: SlabView[];
  private readonly all: SlabLists;
  private readonly merged: ChunkSpikes;

  constructor(
    control: SharedArrayBuffer,
    slabs: readonly SharedArrayBuffer[],
    private readonly worker: number,
    mergedCapacity: number,
  ) {
    this.barrier = new ThreadBarrier(control, slabs.length);
    this.mine = [0, 1].map((parity) => slabView(slabs[worker], parity));
    this.all = new SlabLists(slabs);
    this.merged = emptyChunkSpikes(Math.max(1, mergedCapacity));
  }

  /** Waits for every worker once, outside the chunk loop (for example until all have built). */
  meet(): void {
    this.barrier.arrive();
  }

  share(chunk: number, spikes: ChunkSpikes): void {
    writeSlab(this.mine[chunk & 1], spikes);
  }

  wait(_chunk: number, idle?: () => boolean): void {
    this.barrier.arrive(idle);
  }

  received(chunk: number): ChunkSpikes {
    mergeSpikes(this.all.read(chunk), this.merged);
    return this.merged;
  }

  setProgress(step: number): void {
    this.barrier.setProgress(this.worker, step);
  }

  abort(): void {
    this.barrier.abort();
  }
}
