// Entry of a worker thread: loads TypeScript on the fly (worker threads do not inherit the
// parent's module hooks), then hands piscina the partition task.
import { register } from 'tsx/esm/api';

register();
const { runPartition } = await import('./partitionThread.ts');
export default runPartition;
