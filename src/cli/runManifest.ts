/** `run.json`: what a run was and how it went, for people and for comparing runs at a glance. */
import type { NetworkDescription, Precision } from '../ir/description.ts';
import type { RunStats } from '../run/runLocal.ts';
import type { PartitionSummary } from '../exchange/messages.ts';
import { descriptionDigest } from '../monitor/arrowSchema.ts';
import { spikegridVersion } from '../version.ts';

export interface RunManifest {
  t_ms: number;
  dt_ms: number;
  steps: number;
  seed: number;
  /** How synaptic input was stored and summed: `double` or `single` (`Precision`). */
  precision: Precision;
  workers: number;
  build_s: number;
  sim_s: number;
  wall_s: number;
  /** Simulation wall time / model time (building excluded). */
  rtf: number;
  synapses: number;
  events: number;
  events_per_s: number;
  spikes: number;
  spikes_sha256: string;
  /** SHA-256 of the checked network description, as in the Arrow files' metadata. */
  description_sha256: string;
  /** Peak resident memory of the process [MiB]. */
  peak_rss_mib: number;
  /** What ran it: spikegrid's version and Node's. */
  spikegrid_version: string;
  node_version: string;
  populations: Record<string, { size: number; spikes: number; rate_hz: number }>;
  /**
   * Whether every worker ran the native kernels (rows with per-synapse weights or delays, Poisson
   * counts) in C, or the JavaScript ones: the same results, at a different speed (`nativeKernels.ts`).
   */
  native_kernels: boolean;
  /**
   * Per worker (one for a run in this process; a thread or a node's partition otherwise): neurons
   * and synapses it held, its time computing and waiting at barriers, and what the computing went to.
   */
  per_worker: readonly PartitionSummary[];
  /** Over gRPC nodes: spike bytes the coordinator sent per chunk, to all nodes together. */
  bytes_per_chunk?: number;
}

export function runManifest(
  description: NetworkDescription,
  stats: RunStats & { bytes_per_chunk?: number },
  wall_s: number,
): RunManifest {
  // steps × dt carries binary rounding (143 × 0.07 = 10.010000000000002); 12 digits drop it.
  const t_ms = Number((stats.steps * description.dt).toPrecision(12));
  const modelS = t_ms / 1000;
  // Built as own entries, so that a population named `__proto__` is one too.
  const populations: RunManifest['populations'] = Object.fromEntries(description.populations.map((p, i) => {
    const spikes = stats.population_spikes[i];
    return [p.name, { size: p.size, spikes, rate_hz: modelS > 0 ? spikes / p.size / modelS : 0 }];
  }));
  return {
    t_ms,
    dt_ms: description.dt,
    steps: stats.steps,
    seed: description.seed,
    precision: description.precision,
    workers: stats.workers,
    build_s: stats.build_s,
    sim_s: stats.sim_s,
    wall_s,
    rtf: modelS > 0 ? stats.sim_s / modelS : 0,
    synapses: stats.synapses,
    events: stats.events,
    events_per_s: stats.sim_s > 0 ? stats.events / stats.sim_s : 0,
    spikes: stats.spikes,
    spikes_sha256: stats.spikes_sha256,
    description_sha256: descriptionDigest(description),
    peak_rss_mib: process.resourceUsage().maxRSS / 1024,
    spikegrid_version: spikegridVersion,
    node_version: process.versions.node,
    populations,
    native_kernels: stats.per_worker.every((worker) => worker.native_kernels),
    per_worker: stats.per_worker,
    ...(stats.bytes_per_chunk !== undefined ? { bytes_per_chunk: stats.bytes_per_chunk } : {}),
  };
}

/** The share of a worker's simulation time it spent waiting at barriers, 0–1 (0 for a run of no steps). */
export function barrierWaitShare(worker: Pick<PartitionSummary, 'wait_s' | 'compute_s'>): number {
  const simulated = worker.wait_s + worker.compute_s;
  return simulated > 0 ? worker.wait_s / simulated : 0;
}

/**
 * The range of the workers' shares of their simulation time spent waiting at barriers, as the CLI's
 * summary line shows it ("7–9 %"): how much the workers held each other up.
 */
export function barrierWaitRange(perWorker: readonly PartitionSummary[]): string {
  const shares = perWorker.map((w) => Math.round(100 * barrierWaitShare(w)));
  const low = Math.min(...shares);
  const high = Math.max(...shares);
  return low === high ? `${low} %` : `${low}–${high} %`;
}
