/**
 * Delivery in arrival order (`native/arrivals.c`): rows whose synapses each have their own delay
 * are added not when their spike is delivered but chunk by chunk, as their synapses arrive.
 * Delivered at once, such a row scatters its additions over every slot of rings far larger than
 * the caches (the full-scale microcircuit: some 60 slots of 38 500 neurons a worker), and each
 * addition waits on memory. Filled a chunk at a time, a ring needs only a chunk's slots
 * (`ringSlots.ts`), which stay in the cache.
 *
 * The addon keeps each source's rows sorted by delay and remembers each spike until its last
 * synapse has arrived. Every slot still gets its additions in the canonical order (emit step,
 * source gid, synapse index), so the sums are bit for bit those of `rowDelivery` — provided every
 * addition into that ring comes this way. So a population's synaptic rings are filled in arrival
 * order only if every projection into them can be. Without the addon nothing is, and `rowDelivery`
 * delivers everything, with the same results.
 */
import { InternalError } from '../../errors.ts';
import { nativeKernels } from '../nativeKernels.ts';
import type { Ring } from './nativeDelivery.ts';
import type { SynapseTable } from './synapseTable.ts';

/** One projection of a partition, as the choice of what to deliver in arrival order sees it. */
export interface ProjectionRole {
  /** The source population's index, or -1 for a generator. */
  readonly pre: number;
  /** The target population's index. */
  readonly post: number;
  readonly table: SynapseTable;
  /** Whether `table` holds rows by source (not `ConnectRepr.MAT`). */
  readonly sparse: boolean;
  /** Whether it adds into the target's synaptic rings (not a generator's current). */
  readonly synaptic: boolean;
}

/** A projection delivered in arrival order: its table, and the rings its weights of each sign add into. */
export interface ArrivalProjection {
  readonly pre: number;
  readonly table: SynapseTable;
  /** The rings its weights `w >= 0` and `w < 0` add into, or null where it has none of that sign. */
  readonly positive: Ring | null;
  readonly negative: Ring | null;
  /** Neurons per ring slot: the target population's neurons in this partition. */
  readonly size: number;
}

/** Remembers the spike of source `row` at `step`; returns the synapses its taken rows hold. */
export type ArrivalSpike = (row: number, step: number) => number;

export interface ArrivalDelivery {
  /** Per source population: where its spikes go, or null where none of its rows are taken. */
  readonly spike: readonly (ArrivalSpike | null)[];
  /** Adds what arrives at steps [firstStep, firstStep + steps), after every remembered spike. */
  arrive(firstStep: number, steps: number): void;
}

/** The longest delay [steps] the addon's keys hold (delay << 8 | ring), and how many rings. */
const MAX_DELAY = 255;
const MAX_RINGS = 256;

/**
 * The projections (indices into `roles`, in description order) delivered in arrival order, where
 * the addon is in use, in groups whose tables share their arrays (`sourceGroups.ts`; a table of its
 * own is a group of one): they are taken together or not at all, since the addon reorders their
 * rows together. A group is taken if each of its tables has a weight and a delay per synapse, none longer than MAX_DELAY,
 * and every projection into the synaptic rings of its targets is taken too, with one group of each
 * source population (whose sums would otherwise follow the group's order, not description order).
 * A population's rings of both signs count as one, since some models keep a single one.
 */
export function arrivalGroups(roles: readonly ProjectionRole[]): number[][] {
  if (nativeKernels() === null) return [];
  const byArrays = new Map<object, number[]>();
  roles.forEach((role, index) => {
    if (role.table.count > 0 && role.sparse && role.pre >= 0) byArrays.set(role.table.targets, [...(byArrays.get(role.table.targets) ?? []), index]);
  });
  const fits = ({ table }: ProjectionRole) => table.weights !== null && table.delays !== null && table.maxDelay <= MAX_DELAY;
  let groups = [...byArrays.values()].filter((members) => members.every((m) => fits(roles[m])));
  for (;;) {
    const inGroups = new Set(groups.flat());
    const blocked = new Set<number>();
    roles.forEach((role, index) => {
      if (role.table.count > 0 && role.synaptic && !inGroups.has(index)) blocked.add(role.post);
    });
    // A population into which two groups of one source population write.
    const writers = new Map<number, Map<number, number[]>>();
    for (const members of groups) {
      for (const post of new Set(members.map((m) => roles[m].post))) {
        const bySource = writers.get(post) ?? new Map<number, number[]>();
        const pre = roles[members[0]].pre;
        if (bySource.has(pre) && bySource.get(pre) !== members) blocked.add(post);
        bySource.set(pre, members);
        writers.set(post, bySource);
      }
    }
    const kept = groups.filter((members) => members.every((m) => !blocked.has(roles[m].post)));
    if (kept.length === groups.length) return groups;
    groups = kept;
  }
}

/**
 * The delivery in arrival order of `groups`, as `arrivalGroups` took them, of a partition whose
 * `populations` source populations spike (where there are none, it delivers nothing). The groups'
 * arrays are given up: the addon copies each source's rows into records of its own, sorted by
 * delay, and gives the arrays' memory back to the system, so they read as zeros afterwards.
 */
export function arrivalDelivery(groups: readonly (readonly ArrivalProjection[])[], populations: number): ArrivalDelivery {
  const native = nativeKernels();
  if (native === null || groups.length === 0) return { spike: Array.from({ length: populations }, () => null), arrive: () => {} };
  const rings: Ring[] = [];
  const sizes: number[] = [];
  const ringIndex = (ring: Ring | null, size: number): number => {
    if (ring === null) return -1;
    let index = rings.findIndex((r) => r.ring === ring.ring);
    if (index < 0) {
      index = rings.push(ring) - 1;
      sizes.push(size);
    }
    return index;
  };
  const ringsOf = groups.map((members) => Int32Array.from(members.flatMap((m) => [ringIndex(m.positive, m.size), ringIndex(m.negative, m.size)])));
  if (rings.length > MAX_RINGS) throw new InternalError(`delivery in arrival order takes up to ${MAX_RINGS} rings, not ${rings.length}`);
  const handle = native.arrivals(rings.map((r) => r.ring), Uint32Array.from(sizes), Uint32Array.from(rings, (r) => r.slots));

  const sourcesOf: number[][] = Array.from({ length: populations }, () => []);
  groups.forEach((members, g) => {
    const tables = members.map((m) => m.table);
    const { targets, weights, delays } = tables[0];
    sourcesOf[members[0].pre].push(native.arrivalSource(handle, tables.map((t) => t.rowStart), tables.map((t) => t.rowEnd), targets, weights!, delays!, ringsOf[g]));
  });
  // The closures hold the rings and the row bounds, which the addon uses through pointers.
  const kept = { handle, rings, bounds: groups.flat().map((p) => [p.table.rowStart, p.table.rowEnd]) };
  const { arrivalSpike, arrive } = native;
  const spike = sourcesOf.map((sources): ArrivalSpike | null => {
    if (sources.length === 0) return null;
    if (sources.length === 1) return (row, step) => arrivalSpike(kept.handle, sources[0], row, step);
    return (row, step) => sources.reduce((sum, source) => sum + arrivalSpike(kept.handle, source, row, step), 0);
  });
  return { spike, arrive: (firstStep, steps) => void arrive(kept.handle, firstStep, steps) };
}
