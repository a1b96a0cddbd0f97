/** spikegrid's public API. */
import { pathToFileURL } from 'node:url';

export * as nn from './nn/index.ts';
export { ConnectRepr } from './nn/connections.ts';
export { MonitorBS, MonitorConf, slice } from './nn/monitors.ts';
export { MemoryRecorder } from './monitor/memoryRecorder.ts';
export { ArrowRecorder } from './monitor/arrowRecorder.ts';
export { SpikeMatrix, TraceMatrix, type MonitorResults } from './monitor/results.ts';
export { setPlatform } from './nn/platform.ts';
export * as visualization from './plot/visualization.ts';
export { ModelError, InternalError } from './errors.ts';
export { normalizeDescription } from './ir/normalize.ts';
export type { NetworkDescription } from './ir/description.ts';
export { runLocal, type RunStats } from './run/runLocal.ts';

/** True when the module with this `import.meta` is the script Node was started with. */
export function isMain(meta: ImportMeta): boolean {
  return process.argv[1] !== undefined && meta.url === pathToFileURL(process.argv[1]).href;
}
export { modelParams } from './modelParams.ts';
