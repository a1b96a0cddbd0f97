/**
 * Spike counts per population and a SHA-256 of the canonical spike list, so two runs can be
 * compared at a glance. The digest covers, per spike in canonical order (step, then gid), three
 * little-endian int32 values: step, population index (description order), neuron index within the
 * population.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ChunkSpikes } from '../engine/population.ts';

export class SpikeDigest {
  readonly counts: number[];
  private readonly hash: Hash = createHash('sha256');
  private buffer = new Int32Array(3 * 4096);

  constructor(private readonly offsets: Uint32Array) {
    this.counts = new Array(offsets.length - 1).fill(0);
  }

  add(spikes: ChunkSpikes): void {
    if (this.buffer.length < 3 * spikes.count) this.buffer = new Int32Array(3 * spikes.count);
    const out = this.buffer;
    const offsets = this.offsets;
    let pop = 0;
    let previousGid = -1;
    for (let n = 0; n < spikes.count; n++) {
      const gid = spikes.gids[n];
      if (gid < previousGid) pop = 0;
      while (gid >= offsets[pop + 1]) pop++;
      previousGid = gid;
      this.counts[pop]++;
      out[3 * n] = spikes.steps[n];
      out[3 * n + 1] = pop;
      out[3 * n + 2] = gid - offsets[pop];
    }
    // Int32Array is little-endian on every platform Node runs on.
    this.hash.update(new Uint8Array(out.buffer, 0, 12 * spikes.count));
  }

  get total(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  hex(): string {
    return this.hash.copy().digest('hex');
  }
}
