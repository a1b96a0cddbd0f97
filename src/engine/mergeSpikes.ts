import type { ChunkSpikes } from './population.ts';

let heads = new Int32Array(16);

/**
 * Merges spike lists that are each in canonical order (step, then gid) and hold disjoint gids into
 * one list in canonical order — the order in which every partition delivers them.
 */
export function mergeSpikes(lists: readonly ChunkSpikes[], out: ChunkSpikes): void {
  // Reused between calls: this runs once per chunk.
  if (heads.length < lists.length) heads = new Int32Array(lists.length);
  heads.fill(0, 0, lists.length);
  let n = 0;
  for (;;) {
    let best = -1;
    let bestStep = 0;
    let bestGid = 0;
    for (let l = 0; l < lists.length; l++) {
      const k = heads[l];
      if (k >= lists[l].count) continue;
      const step = lists[l].steps[k];
      const gid = lists[l].gids[k];
      if (best < 0 || step < bestStep || (step === bestStep && gid < bestGid)) {
        best = l;
        bestStep = step;
        bestGid = gid;
      }
    }
    if (best < 0) break;
    out.steps[n] = bestStep;
    out.gids[n] = bestGid;
    n++;
    heads[best]++;
  }
  out.count = n;
}
