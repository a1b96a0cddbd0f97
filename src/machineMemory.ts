/**
 * What a run may count on, for the checks that refuse what cannot fit before anything is built or
 * allocated (`run/networkFits.ts`, `MemoryRecorder`): the memory, and how long one array may be.
 */
import { totalmem } from 'node:os';

/** The elements one typed array may have. */
export const MAX_ARRAY_LENGTH = 2 ** 32;

/** The share of the memory a run's data may take; the rest is Node's. */
export const MEMORY_SHARE = 0.9;

/** The memory this process may use: the machine's, or less where a container or batch job limits it (cgroups). */
export function machineMemory(): number {
  const limit = process.constrainedMemory?.() ?? 0;
  return limit > 0 && limit < totalmem() ? limit : totalmem();
}

/** Bytes as error messages give them: `3.7 GiB`, `382 MiB`, `0.5 MiB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(bytes < 10 * 2 ** 20 ? 1 : 0)} MiB`;
}
