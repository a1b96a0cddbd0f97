/** Builds the synapses of one projection into the targets a partition owns. */
import type { NetworkDescription, ProjectionDescription } from '../../ir/description.ts';
import { Purpose } from '../../random/counter.ts';
import { inPrecision, synapticArray } from '../precision.ts';
import { ValueSampler } from '../values.ts';
import type { PopulationSlice } from '../layout.ts';
import { ConnectionList, MAX_CONNECTIONS } from './connectionList.ts';
import { drawRows, expandRule } from './rules.ts';
import { sortBySource, tableFromRows, type SynapseTable } from './synapseTable.ts';

export function buildProjection(description: NetworkDescription, index: number, slice: PopulationSlice): SynapseTable {
  const projection = description.projections[index];
  const nPre = sourceSize(description, projection);
  const nPost = description.populations.find((p) => p.name === projection.post)!.size;
  const nLocal = slice.stop - slice.start;
  const context = { seed: description.seed, projection: index, nPre, nPost, samePopulation: projection.pre === projection.post, ...slice };
  // Rules drawn row by row give their connections in the table's order, with no list to sort.
  const rows = drawRows(projection.conn, context);
  let list: ConnectionList | null = null;
  if (rows === null) {
    // Room for a drawn count a little above its expectation, so that the list seldom grows.
    list = new ConnectionList(Math.min(expectedSynapses(projection, nPre, nPost, nLocal) * 1.05 + 64, MAX_CONNECTIONS), keepsIndices(projection));
    expandRule(projection.conn, context, list);
  }
  // Rows hold targets local to the slice, the list global ones.
  const [targets, base] = rows !== null ? [rows.targets, slice.start] : [list!.targets, 0];
  const count = rows?.count ?? list!.size;

  const weights = new ValueSampler(projection.weight, description.seed, index, Purpose.weight, nPost);
  const delays = new ValueSampler(projection.delay_step, description.seed, index, Purpose.delay, nPost);
  const weightOf = Number.isNaN(weights.homogeneous) ? synapticArray(description.precision, count) : null;
  const weight = inPrecision(description.precision, weights.homogeneous);
  const delayOf = Number.isNaN(delays.homogeneous) ? new Uint16Array(count) : null;
  // Each synapse's values are keyed by its target and counted by the target's incoming synapses.
  if (weightOf !== null) weights.fill(targets, base, count, list?.indices ?? null, slice.start, nLocal, weightOf);
  if (delayOf !== null) delays.fill(targets, base, count, list?.indices ?? null, slice.start, nLocal, delayOf);
  return rows !== null
    ? tableFromRows(rows, weightOf, weight, delayOf, delays.homogeneous)
    : sortBySource(list!, nPre, slice.start, nLocal, weightOf, weight, delayOf, delays.homogeneous);
}

/** Whether a projection's connection list keeps positions in its fixed order: only weights or delays given as arrays need them. */
export function keepsIndices(projection: ProjectionDescription): boolean {
  return Array.isArray(projection.weight) || Array.isArray(projection.delay_step);
}

/** Neurons or outputs of the projection's source, a population or a generator. */
export function sourceSize(description: NetworkDescription, projection: ProjectionDescription): number {
  const source = description.populations.find((p) => p.name === projection.pre) ?? description.generators.find((g) => g.name === projection.pre)!;
  return source.size;
}

/**
 * The synapses of `projection` that a slice of `nLocal` of its `nPost` targets holds: exact where
 * the rule fixes them, expected where it draws them (FixedProb, and the split of FixedOutDegree and
 * FixedTotalNum among slices).
 */
export function expectedSynapses(projection: ProjectionDescription, nPre: number, nPost: number, nLocal: number): number {
  const conn = projection.conn;
  if ('One2One' in conn) return nLocal;
  if ('All2All' in conn) return nPre * nLocal;
  if ('FixedProb' in conn) return conn.FixedProb.p * nPre * nLocal;
  if ('FixedInDegree' in conn) return conn.FixedInDegree.degree * nLocal;
  if ('FixedOutDegree' in conn) return (conn.FixedOutDegree.degree * nPre * nLocal) / nPost;
  if ('FixedTotalNum' in conn) return (conn.FixedTotalNum.num * nLocal) / nPost;
  return conn.CustomConn.pre.length;
}
