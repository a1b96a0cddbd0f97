/** Builds the synapses of one projection into the targets a partition owns. */
import type { NetworkDescription, ProjectionDescription } from '../../ir/description.ts';
import { Purpose } from '../../random/counter.ts';
import { ValueSampler } from '../values.ts';
import type { PopulationSlice } from '../layout.ts';
import { expandRule } from './rules.ts';
import { SynapseTableBuilder, type SynapseTable } from './synapseTable.ts';

export function buildProjection(description: NetworkDescription, index: number, slice: PopulationSlice): SynapseTable {
  const projection = description.projections[index];
  const nPre = sourceSize(description, projection);
  const nPost = description.populations.find((p) => p.name === projection.post)!.size;
  const weights = new ValueSampler(projection.weight, description.seed, index, Purpose.weight, nPost);
  const delays = new ValueSampler(projection.delay_step, description.seed, index, Purpose.delay, nPost);
  const nLocal = slice.stop - slice.start;
  const builder = new SynapseTableBuilder(nPre, nLocal, weights.homogeneous, delays.homogeneous, expectedCount(projection, nPre, nPost, nLocal));
  const context = { seed: description.seed, projection: index, nPre, nPost, samePopulation: projection.pre === projection.post, ...slice };
  const { start } = slice;
  if (!Number.isNaN(weights.homogeneous) && !Number.isNaN(delays.homogeneous)) {
    const weight = weights.homogeneous;
    const delay = delays.homogeneous;
    expandRule(projection.conn, context, (source, target) => builder.add(source, target - start, weight, delay));
    return builder.build();
  }
  // k-th incoming connection of each local target: the counter of its weight and delay draws.
  const incoming = new Uint32Array(nLocal);
  const drawsDelay = Number.isNaN(delays.homogeneous);
  expandRule(projection.conn, context, (source, target, connectionIndex) => {
    const local = target - start;
    const k = incoming[local]++;
    const weight = weights.value(target, k, connectionIndex);
    const delay = drawsDelay ? Math.round(delays.value(target, k, connectionIndex)) : delays.homogeneous;
    builder.add(source, local, weight, delay);
  });
  return builder.build();
}

function sourceSize(description: NetworkDescription, projection: ProjectionDescription): number {
  const source = description.populations.find((p) => p.name === projection.pre) ?? description.generators.find((g) => g.name === projection.pre)!;
  return source.size;
}

/** A capacity guess that avoids most regrowth while building. */
function expectedCount(projection: ProjectionDescription, nPre: number, nPost: number, nLocal: number): number {
  const conn = projection.conn;
  if ('One2One' in conn) return nLocal;
  if ('All2All' in conn) return nPre * nLocal;
  if ('FixedProb' in conn) return conn.FixedProb.p * nPre * nLocal * 1.05 + 64;
  if ('FixedInDegree' in conn) return conn.FixedInDegree.degree * nLocal;
  if ('FixedOutDegree' in conn) return (conn.FixedOutDegree.degree * nPre * nLocal) / nPost + 64;
  if ('FixedTotalNum' in conn) return (conn.FixedTotalNum.num * nLocal) / nPost + 64;
  return conn.CustomConn.pre.length;
}
