// Entry of a worker thread: loads TypeScript on the fly (worker threads do not inherit the
// parent's module hooks), then hands piscina its tasks: a partition of a run on one machine (the
// default export), a partition hosted by a worker node (`runNodePartition`), or the synapse tables
// of the partition a worker node runs on its main thread (`buildTables`); `warm` does nothing, for
// a pool to start its threads before they are needed.
import { register } from 'tsx/esm/api';

register();
const { runPeerPartition, runNodePartition } = await import('./partitionThread.ts');
const { buildTables } = await import('./tableBuilder.ts');
export default runPeerPartition;
export { runNodePartition, buildTables };
export async function warm() {}
