/**
 * `ConnectRepr.MAT`: a projection stored as a dense source × local-target matrix. It holds at most
 * one synapse per pair (multapses are rejected when the description is checked), so a target gets
 * at most one contribution per source spike and the sums match the CSR storage exactly.
 */
import type { Precision } from '../../ir/description.ts';
import { synapticArray, type SynapticArray } from '../precision.ts';
import type { SynapseTable } from './synapseTable.ts';

export interface DenseSynapseTable {
  readonly nSources: number;
  readonly nTargets: number;
  /** 1 where source row × target column holds a synapse. */
  readonly present: Uint8Array;
  readonly weights: SynapticArray;
  /** Per-pair delays, or null when all share `delay`. */
  readonly delays: Uint16Array | null;
  readonly delay: number;
  /** Synapses per source, for counting events. */
  readonly rowCount: Uint32Array;
  readonly count: number;
}

/** `table` as a dense matrix of `nTargets` columns, its weights in `precision`. */
export function toDense(table: SynapseTable, nTargets: number, precision: Precision): DenseSynapseTable {
  const cells = table.nSources * nTargets;
  const present = new Uint8Array(cells);
  const weights = synapticArray(precision, cells);
  const delays = table.delays ? new Uint16Array(cells) : null;
  const rowCount = new Uint32Array(table.nSources);
  for (let s = 0; s < table.nSources; s++) {
    rowCount[s] = table.rowEnd[s] - table.rowStart[s];
    for (let k = table.rowStart[s]; k < table.rowEnd[s]; k++) {
      const cell = s * nTargets + table.targets[k];
      present[cell] = 1;
      weights[cell] = table.weights ? table.weights[k] : table.weight;
      if (delays) delays[cell] = table.delays![k];
    }
  }
  return { nSources: table.nSources, nTargets, present, weights, delays, delay: table.delay, rowCount, count: table.count };
}
