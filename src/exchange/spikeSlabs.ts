/**
 * Spike exchange between worker threads: each worker owns one slab of shared memory per chunk
 * parity and writes the spikes it emitted there; after the barrier every worker reads every slab
 * directly — no copies through messages. Two parities mean a slab written for chunk c is
 * overwritten only in chunk c + 2, after everyone has passed the barrier of chunk c + 1 and so
 * finished reading it.
 */
import type { ChunkSpikes } from '../engine/population.ts';

/** Layout of one slab: [count, steps × capacity, gids × capacity] as int32. */
export function spikeSlab(capacity: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * 2 * (1 + 2 * capacity));
}

/** One worker's slab for one parity. The barrier between writing and reading orders the accesses. */
export interface SlabView {
  readonly header: Int32Array;
  readonly steps: Int32Array;
  readonly gids: Uint32Array;
}

export function slabView(buffer: SharedArrayBuffer, parity: number): SlabView {
  const capacity = (buffer.byteLength / 4 / 2 - 1) / 2;
  const base = parity * 4 * (1 + 2 * capacity);
  return {
    header: new Int32Array(buffer, base, 1),
    steps: new Int32Array(buffer, base + 4, capacity),
    gids: new Uint32Array(buffer, base + 4 + 4 * capacity, capacity),
  };
}

export function writeSlab(slab: SlabView, spikes: ChunkSpikes): void {
  slab.steps.set(spikes.steps.subarray(0, spikes.count));
  slab.gids.set(spikes.gids.subarray(0, spikes.count));
  slab.header[0] = spikes.count;
}

/** A set of slabs read as spike lists over the shared memory, per parity: only the counts change per chunk. */
export class SlabLists {
  private readonly views: SlabView[][];
  readonly lists: ChunkSpikes[][];

  constructor(slabs: readonly SharedArrayBuffer[]) {
    this.views = [0, 1].map((parity) => slabs.map((slab) => slabView(slab, parity)));
    this.lists = this.views.map((views) => views.map((view) => ({ steps: view.steps, gids: view.gids, count: 0 })));
  }

  /** The slabs' spikes of `chunk`, once their writers have passed the chunk's barrier. */
  read(chunk: number): ChunkSpikes[] {
    const views = this.views[chunk & 1];
    const lists = this.lists[chunk & 1];
    for (let i = 0; i < views.length; i++) lists[i].count = views[i].header[0];
    return lists;
  }
}
