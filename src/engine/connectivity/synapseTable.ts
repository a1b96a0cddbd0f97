/**
 * The incoming synapses of one projection into the targets a partition owns, stored by source
 * (CSR: `rowStart[source]..rowStart[source+1]` index `targets`, `weights`, `delays`).
 *
 * Within a row, synapses keep the order in which the rule emitted them; that order is the same in
 * every partition, so the canonical delivery order (emit step, source gid, synapse index) adds the
 * same numbers in the same order however the network is split. Weights and delays that are the
 * same for every synapse are stored once.
 */
export interface SynapseTable {
  readonly nSources: number;
  readonly rowStart: Uint32Array;
  /**
   * Target index local to the partition's slice of the post population: 16-bit when the slice has
   * at most 65536 neurons, which halves the bytes delivery streams through.
   */
  readonly targets: Uint16Array | Uint32Array;
  /** Per-synapse weights, or null when every synapse has `weight`. */
  readonly weights: Float64Array | null;
  readonly weight: number;
  /** Per-synapse delays [steps], or null when every synapse has `delay`. */
  readonly delays: Uint16Array | null;
  readonly delay: number;
  /** Largest delay in this table [steps] (0 when it holds no synapse). */
  readonly maxDelay: number;
  readonly count: number;
}

/** Collects synapses as a rule emits them, then sorts them into rows by source, stably. */
export class SynapseTableBuilder {
  private sources = new Uint32Array(1024);
  private targets = new Uint32Array(1024);
  private weights: Float64Array | null;
  private delays: Uint16Array | null;
  private size = 0;

  constructor(
    private readonly nSources: number,
    /** Neurons in the partition's slice of the post population. */
    private readonly nTargets: number,
    private readonly weight: number,
    private readonly delay: number,
    capacityHint: number,
  ) {
    const capacity = Math.max(1024, Math.ceil(capacityHint));
    this.sources = new Uint32Array(capacity);
    this.targets = new Uint32Array(capacity);
    this.weights = Number.isNaN(weight) ? new Float64Array(capacity) : null;
    this.delays = Number.isNaN(delay) ? new Uint16Array(capacity) : null;
  }

  add(source: number, localTarget: number, weight: number, delay: number): void {
    if (this.size === this.sources.length) this.grow();
    const k = this.size++;
    this.sources[k] = source;
    this.targets[k] = localTarget;
    if (this.weights) this.weights[k] = weight;
    if (this.delays) this.delays[k] = delay;
  }

  private grow(): void {
    const capacity = this.sources.length * 2;
    const widen = <T extends Uint32Array | Float64Array | Uint16Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.sources = widen(this.sources, (n) => new Uint32Array(n));
    this.targets = widen(this.targets, (n) => new Uint32Array(n));
    if (this.weights) this.weights = widen(this.weights, (n) => new Float64Array(n));
    if (this.delays) this.delays = widen(this.delays, (n) => new Uint16Array(n));
  }

  /** Counting sort by source; stable, so each row keeps emission order. */
  build(): SynapseTable {
    const n = this.size;
    const rowStart = new Uint32Array(this.nSources + 1);
    for (let k = 0; k < n; k++) rowStart[this.sources[k] + 1]++;
    for (let s = 0; s < this.nSources; s++) rowStart[s + 1] += rowStart[s];
    const fill = rowStart.slice(0, this.nSources);
    const targets = this.nTargets <= 65536 ? new Uint16Array(n) : new Uint32Array(n);
    const weights = this.weights ? new Float64Array(n) : null;
    const delays = this.delays ? new Uint16Array(n) : null;
    let maxDelay = n > 0 && !delays ? this.delay : 0;
    for (let k = 0; k < n; k++) {
      const at = fill[this.sources[k]]++;
      targets[at] = this.targets[k];
      if (weights) weights[at] = this.weights![k];
      if (delays) {
        const d = this.delays![k];
        delays[at] = d;
        if (d > maxDelay) maxDelay = d;
      }
    }
    return { nSources: this.nSources, rowStart, targets, weights, weight: this.weight, delays, delay: this.delay, maxDelay, count: n };
  }
}
