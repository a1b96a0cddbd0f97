/**
 * Tables that share their arrays by source population: each source's rows of all of them stored
 * together.
 *
 * A spike of one source is delivered through each projection from its population in turn, and
 * each projection's row of that source is one read through the table. Built one projection at a
 * time, those rows lie far apart; a large network then pays, for every row, for reading its start
 * from memory afresh. Stored together, the rows of one source are one stretch of memory: in a
 * micro-benchmark of the full-scale microcircuit's delivery (two processes at once, eight rows of
 * 244 synapses a source), 10.9–11.4 ns per event against 14.1–14.9 with the rows apart. The
 * full-scale microcircuit on two workers, eight interleaved pairs: real-time factor 9.0–13.3
 * (median 11.0) against 8.8–14.4 (median 13.2), delivery 6.7–10.1 s per worker and model second
 * against 7.2–11.8 s.
 *
 * Only where the tables are stored changes: each projection still delivers its own rows, in the
 * same order, so every sum is the same.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { NetworkDescription } from '../../ir/description.ts';
import { nativeKernels } from '../nativeKernels.ts';
import { synapticArrayLike } from '../precision.ts';
import type { SynapseTable } from './synapseTable.ts';

/** How much may be copied before `releaseCopied` runs again [bytes]: it runs once more at the end. */
const RELEASE_EVERY = 64 * 2 ** 20;

/**
 * Per projection, in description order: whether `groupBySource` copies its table, as the
 * description tells before anything is built. It does where the projection gives each synapse its
 * own weight and delay and comes from a population that sends another such projection (once built,
 * an empty table, or targets of another index width, can still leave one alone).
 */
export function sharedBySource(description: NetworkDescription): boolean[] {
  const candidates = description.projections.map((projection) => typeof projection.weight !== 'number'
    && typeof projection.delay_step !== 'number' && description.populations.some((p) => p.name === projection.pre));
  const perSource = new Map<string, number>();
  for (const [index, { pre }] of description.projections.entries()) {
    if (candidates[index]) perSource.set(pre, (perSource.get(pre) ?? 0) + 1);
  }
  return description.projections.map(({ pre }, index) => candidates[index] && perSource.get(pre)! > 1);
}

/**
 * Replaces, in `tables` (one per projection, in description order), the tables of projections from
 * one source population that have per-synapse weights and delays and target indices of the same
 * width by tables that share their arrays, a group of at least two at a time. The tables copied
 * from are released as the groups are copied (`releaseCopied`), so that building holds little more
 * than one group's arrays twice. `shared` is `sharedBySource(description)`, which the caller has
 * already asked; `onCopied` hears each group's projections, by index, once copied.
 */
export function groupBySource(
  description: NetworkDescription, tables: SynapseTable[], shared: readonly boolean[], onCopied?: (members: readonly number[]) => void,
): void {
  const groups = new Map<string, number[]>();
  description.projections.forEach((projection, index) => {
    const table = tables[index];
    if (!shared[index] || table.weights === null || table.delays === null || table.count === 0) return;
    const key = `${projection.pre}/${table.targets.BYTES_PER_ELEMENT}`;
    const members = groups.get(key) ?? [];
    members.push(index);
    groups.set(key, members);
  });
  let unreleased = 0;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const grouped = sharedTables(members.map((index) => tables[index]));
    members.forEach((index, m) => (tables[index] = grouped[m]));
    const { targets, weights, delays } = grouped[0];
    unreleased += targets.byteLength + weights!.byteLength + delays!.byteLength;
    if (unreleased >= RELEASE_EVERY) {
      releaseCopied();
      unreleased = 0;
    }
    onCopied?.(members);
  }
  if (unreleased > 0) releaseCopied();
}

/** V8's full collection, once `releaseCopied` has asked for it. */
let collect: (() => void) | undefined;

/**
 * Releases the arrays the groups were copied from. V8 frees an array's memory only when a full
 * collection finds it unreachable, and a run allocates too little to start one; then malloc keeps
 * the freed pages among the ones in use. The full-scale microcircuit on two workers held
 * ≈ 4 800 MiB for the whole run without this, ≈ 3 720 MiB with it, as before the tables were
 * grouped (4 500 MiB at the peak, while a group and its copy coexist).
 */
function releaseCopied(): void {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  nativeKernels()?.releaseFreeMemory();
}

/** `own`'s tables (of one source population) as tables over shared arrays, each source's rows together. */
function sharedTables(own: readonly SynapseTable[]): SynapseTable[] {
  const nSources = own[0].nSources;
  const total = own.reduce((sum, table) => sum + table.count, 0);
  const targets = own[0].targets.BYTES_PER_ELEMENT === 2 ? new Uint16Array(total) : new Uint32Array(total);
  const weights = synapticArrayLike(own[0].weights!, total);
  const delays = new Uint16Array(total);
  const bounds = own.map(() => new Uint32Array(2 * nSources));
  let at = 0;
  for (let s = 0; s < nSources; s++) {
    for (let m = 0; m < own.length; m++) {
      const table = own[m];
      const from = table.targets, fromWeights = table.weights!, fromDelays = table.delays!;
      bounds[m][s] = at;
      // Each source: its row of every table in turn, in description order.
      for (let k = table.rowStart[s], end = table.rowEnd[s]; k < end; k++, at++) {
        targets[at] = from[k];
        weights[at] = fromWeights[k];
        delays[at] = fromDelays[k];
      }
      bounds[m][nSources + s] = at;
    }
  }
  return own.map((table, m) => ({
    ...table,
    rowStart: bounds[m].subarray(0, nSources),
    rowEnd: bounds[m].subarray(nSources),
    targets, weights, delays,
  }));
}
