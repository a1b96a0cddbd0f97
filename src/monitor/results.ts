/**
 * What a `MemoryRecorder` returns: `ts` and one steps × neurons matrix per `"<name>.<attr>"`,
 * with row (one step) and column (one neuron) access, as NeurAI and BrainPy users index
 * `mon["ExpLIF_0.v"][:, 0]`. An index outside the matrix is an error, not a value of another cell.
 */
import { ModelError } from '../errors.ts';
import { show } from '../ir/checks.ts';

/** `index`, if it is a whole number in 0..size−1. */
function checked(matrix: TraceMatrix | SpikeMatrix, what: 'step' | 'neuron', index: number, size: number): number {
  if (!(Number.isInteger(index) && index >= 0 && index < size)) {
    const kind = matrix instanceof TraceMatrix ? 'TraceMatrix' : 'SpikeMatrix';
    throw new ModelError('INVALID_VALUE', `${kind} of ${matrix.rows} steps × ${matrix.cols} neurons: ${what} must be a whole number in 0..${size - 1}, got ${show(index)}`);
  }
  return index;
}

/** Dense steps × neurons values (traces), row-major. */
export class TraceMatrix {
  constructor(
    readonly data: Float64Array,
    readonly rows: number,
    readonly cols: number,
  ) {}

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get(step: number, neuron: number): number {
    return this.data[checked(this, 'step', step, this.rows) * this.cols + checked(this, 'neuron', neuron, this.cols)];
  }

  /** All neurons at one step (a view, not a copy). */
  row(step: number): Float64Array {
    checked(this, 'step', step, this.rows);
    return this.data.subarray(step * this.cols, (step + 1) * this.cols);
  }

  /** One neuron over time. */
  col(neuron: number): Float64Array {
    checked(this, 'neuron', neuron, this.cols);
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + neuron];
    return out;
  }
}

/**
 * Spikes as a steps × neurons matrix of 0/1, stored as the list of events (step index, neuron
 * index), sorted by step then neuron, so a long run costs memory per spike, not per step.
 */
export class SpikeMatrix {
  constructor(
    /** Step index of each spike (row). */
    readonly steps: Int32Array,
    /** Neuron index within the monitored slice (column). */
    readonly neurons: Uint32Array,
    readonly rows: number,
    readonly cols: number,
  ) {}

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get count(): number {
    return this.steps.length;
  }

  get(step: number, neuron: number): 0 | 1 {
    checked(this, 'step', step, this.rows);
    checked(this, 'neuron', neuron, this.cols);
    for (let k = this.lowerBound(step); k < this.steps.length && this.steps[k] === step; k++) {
      if (this.neurons[k] === neuron) return 1;
    }
    return 0;
  }

  row(step: number): Uint8Array {
    checked(this, 'step', step, this.rows);
    const out = new Uint8Array(this.cols);
    for (let k = this.lowerBound(step); k < this.steps.length && this.steps[k] === step; k++) out[this.neurons[k]] = 1;
    return out;
  }

  col(neuron: number): Uint8Array {
    checked(this, 'neuron', neuron, this.cols);
    const out = new Uint8Array(this.rows);
    for (let k = 0; k < this.steps.length; k++) if (this.neurons[k] === neuron) out[this.steps[k]] = 1;
    return out;
  }

  /** Row-major steps × neurons 0/1. */
  toDense(): Uint8Array {
    const out = new Uint8Array(this.rows * this.cols);
    for (let k = 0; k < this.steps.length; k++) out[this.steps[k] * this.cols + this.neurons[k]] = 1;
    return out;
  }

  /** Spike counts per neuron. */
  counts(): Uint32Array {
    const out = new Uint32Array(this.cols);
    for (let k = 0; k < this.neurons.length; k++) out[this.neurons[k]]++;
    return out;
  }

  private lowerBound(step: number): number {
    let lo = 0;
    let hi = this.steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.steps[mid] < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** `mon["ts"]` [ms] and `mon["<name>.<attr>"]`. */
export interface MonitorResults {
  ts: Float64Array;
  [key: `${string}.${string}`]: SpikeMatrix | TraceMatrix;
}
