/**
 * What a partition thread sends the thread that started it (the coordinator, or a node's main
 * thread), in this order on one port: how far it has built, that it has built, monitor batches
 * while running, and how the run went.
 */
export type ThreadMessage =
  | ({ readonly kind: 'building' } & BuildingProgress)
  | ({ readonly kind: 'built' } & PartitionBuilt)
  | { readonly kind: 'batch'; readonly batch: MonitorBatch }
  | { readonly kind: 'done'; readonly summary: PartitionSummary };

/** A partition that is building: the fraction of its building done so far (see `buildSynapseTables`). */
export interface BuildingProgress {
  readonly partition: number;
  readonly fraction: number;
}

/** A partition that has built: its size and how long building took. */
export interface PartitionBuilt {
  readonly partition: number;
  readonly neurons: number;
  readonly synapses: number;
  readonly build_s: number;
}

/** A worker's spikes (canonical order) and monitored values for consecutive chunks. */
export interface MonitorBatch {
  readonly worker: number;
  readonly firstStep: number;
  readonly steps: number;
  readonly spikeSteps: Int32Array;
  readonly spikeGids: Uint32Array;
  /** Per local trace capture: which monitor, where its neurons sit in the monitor's slice, values step-major. */
  readonly traces: ReadonlyArray<{ monitor: number; offset: number; width: number; values: Float64Array }>;
}

/** How one worker's run went. */
export interface PartitionSummary {
  readonly worker: number;
  readonly neurons: number;
  readonly synapses: number;
  readonly build_s: number;
  /** Time advancing, merging and delivering [s]. */
  readonly compute_s: number;
  /** Time waiting at barriers [s]. */
  readonly wait_s: number;
  /** Of `compute_s`: advancing chunks — generators, neuron updates, monitored values [s]. */
  readonly advance_s: number;
  /** Of `compute_s`: delivering every partition's spikes into this partition's input rings [s]. */
  readonly deliver_s: number;
  /**
   * Of `compute_s`: Poisson counts drawn for later steps while waiting for the other partitions
   * (`PoissonBank`) [s]. The rest of `compute_s` went to sharing and merging spikes.
   */
  readonly draw_ahead_s: number;
  readonly neuron_events: number;
  readonly generator_events: number;
  /**
   * Whether it ran the native kernels (`nativeKernels.ts`): rows with per-synapse weights or delays
   * delivered, and Poisson counts drawn, in C.
   */
  readonly native_kernels: boolean;
}
