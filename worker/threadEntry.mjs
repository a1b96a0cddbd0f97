// Entry of a worker thread when the bundled thread script cannot be made (see threadScript.ts):
// loads TypeScript on the fly (worker threads do not inherit the parent's module hooks), then the
// thread's tasks.
import { register } from 'tsx/esm/api';

register();
const thread = await import('./threadMain.ts');
export default thread.default;
export const { runNodePartition, buildTables, warm } = thread;
