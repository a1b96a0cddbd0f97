/**
 * Builds a partition's synapse tables on a worker thread and hands them to the thread that will
 * run the partition, moving their memory rather than copying it. A worker node builds the
 * partition of its main thread this way, so that building, however long, never stalls the node's
 * gRPC stream.
 *
 * Moving memory out detaches it here, which slows every later typed-array access of this thread
 * (see `post` in `partitionThread.ts`); that is harmless only because a builder thread simulates
 * nothing afterwards: a node's pool has a thread for each partition besides the builder, and is
 * replaced after every run.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SynapseTable } from '../src/engine/connectivity/synapseTable.ts';
import type { PartitionPlan } from '../src/engine/layout.ts';
import { buildSynapseTables } from '../src/engine/partitionEngine.ts';
import type { ThreadMessage } from '../src/exchange/messages.ts';
import type { NetworkDescription } from '../src/ir/description.ts';

export interface TableTask {
  readonly description: NetworkDescription;
  readonly plan: PartitionPlan;
  /** Where the tables go: `building` messages while they are built, then one message, `SynapseTable[]`. */
  readonly port: MessagePort;
}

export async function buildTables(task: TableTask): Promise<void> {
  try {
    const tables = buildSynapseTables(task.description, task.plan, (fraction) => {
      const progress: ThreadMessage = { kind: 'building', partition: task.plan.index, fraction };
      task.port.postMessage(progress);
    });
    task.port.postMessage(tables, [...new Set(tables.flatMap(buffersOf))]);
  } finally {
    task.port.close();
  }
}

function buffersOf(table: SynapseTable): ArrayBuffer[] {
  return [table.rowStart, table.rowEnd, table.targets, table.weights, table.delays].flatMap((array) => (array ? [array.buffer as ArrayBuffer] : []));
}
