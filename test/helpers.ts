/** Small helpers shared by the tests: run a description in memory and read its monitors. */
import type { ExecutionContext } from 'ava';
import { normalizeDescription } from '../src/ir/normalize.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import { MemoryRecorder } from '../src/monitor/memoryRecorder.ts';
import type { MonitorResults, SpikeMatrix, TraceMatrix } from '../src/monitor/results.ts';
import { runLocal, stepsFor, type RunStats } from '../src/run/runLocal.ts';
import { runThreads } from '../coordinator/runThreads.ts';
import { nativeKernelsPath, useNativeKernels } from '../src/engine/nativeKernels.ts';

export function simulate(raw: object, tMs: number): { description: NetworkDescription; stats: RunStats; mon: MonitorResults } {
  const description = normalizeDescription(raw);
  const recorder = new MemoryRecorder();
  const stats = runLocal(description, { steps: stepsFor(tMs, description.dt), recorders: [recorder] });
  return { description, stats, mon: recorder.data };
}

/** Runs `description` for `steps` steps in this process (one worker) or on `workers` threads, keeping every monitor in memory. */
export async function recordedRun(description: NetworkDescription, steps: number, workers: number) {
  const recorder = new MemoryRecorder();
  const stats = workers === 1 ? runLocal(description, { steps, recorders: [recorder] }) : await runThreads(description, { steps, workers, recorders: [recorder] });
  return { stats, data: recorder.data };
}

/**
 * Runs `body` with the JavaScript kernels, then goes back to the addon this process loaded. Tests
 * that switch kernels must run one at a time (`test.serial`).
 */
export async function withJavaScript<T>(body: () => T | Promise<T>): Promise<T> {
  const addon = nativeKernelsPath();
  useNativeKernels(null);
  try {
    return await body();
  } finally {
    useNativeKernels(addon);
  }
}

/** A population description with NEST-style parameters. */
export function population(name: string, model: string, size: number, params: Record<string, number> = {}, v_init?: unknown) {
  return { name, model, size, params, ...(v_init !== undefined ? { v_init } : {}) };
}

/** Numbers in [0, 1) from a small linear congruential generator: the same on every run of the tests. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** Asserts that two runs' monitors hold the same spikes and the same traces, bit for bit. */
export function sameMonitors(t: ExecutionContext, a: MonitorResults, b: MonitorResults, label: string) {
  for (const key of Object.keys(a) as Array<keyof MonitorResults>) {
    if (key === 'ts') continue;
    const x = a[key] as SpikeMatrix | TraceMatrix;
    const y = b[key] as SpikeMatrix | TraceMatrix;
    if ('data' in x) t.deepEqual((y as TraceMatrix).data, x.data, `${label} ${key}`);
    else {
      t.deepEqual((y as SpikeMatrix).steps, x.steps, `${label} ${key}`);
      t.deepEqual((y as SpikeMatrix).neurons, x.neurons, `${label} ${key}`);
    }
  }
}
