/**
 * Keeps monitored data in memory and hands it back as `MonitorResults`: spikes as event lists
 * (memory per spike), traces as preallocated steps × neurons arrays.
 */
import { populationOffsets } from '../engine/layout.ts';
import { ModelError } from '../errors.ts';
import type { NetworkDescription } from '../ir/description.ts';
import { MAX_ARRAY_LENGTH } from '../machineMemory.ts';
import type { ChunkRecord } from './chunkRecord.ts';
import { sliceOf, type Recorder, type RunInfo } from './recorder.ts';
import { SpikeMatrix, TraceMatrix, type MonitorResults } from './results.ts';

interface SpikeSink {
  key: `${string}.${string}`;
  /** gid range that this monitor watches. */
  gidFrom: number;
  gidTo: number;
  steps: number[];
  neurons: number[];
}

export class MemoryRecorder implements Recorder {
  private description: NetworkDescription | null = null;
  private totalSteps = 0;
  private spikeSinks: SpikeSink[] = [];
  private traces: Array<{ key: `${string}.${string}`; monitor: number; width: number; data: Float64Array } | null> = [];
  private results: MonitorResults | null = null;

  /** Its traces, 8 bytes a value; spikes are counted as they come. */
  memoryNeeded({ description, steps }: RunInfo): number {
    return 8 * tracedValues(description, steps);
  }

  begin({ description, steps }: RunInfo): void {
    tracedValues(description, steps);
    this.description = description;
    this.totalSteps = steps;
    this.results = null;
    const offsets = populationOffsets(description);
    this.spikeSinks = [];
    this.traces = description.monitors.map((monitor, index) => {
      const [from, to] = sliceOf(description, index);
      const key = `${monitor.target}.${monitor.attr}` as const;
      if (monitor.attr === 'spike') {
        const base = offsets[description.populations.findIndex((p) => p.name === monitor.target)];
        this.spikeSinks.push({ key, gidFrom: base + from, gidTo: base + to, steps: [], neurons: [] });
        return null;
      }
      return { key, monitor: index, width: to - from, data: new Float64Array(steps * (to - from)) };
    });
  }

  record(chunk: ChunkRecord): void {
    const { spikes } = chunk;
    for (const sink of this.spikeSinks) {
      for (let n = 0; n < spikes.count; n++) {
        const gid = spikes.gids[n];
        if (gid >= sink.gidFrom && gid < sink.gidTo) {
          sink.steps.push(spikes.steps[n]);
          sink.neurons.push(gid - sink.gidFrom);
        }
      }
    }
    this.traces.forEach((trace, index) => {
      if (trace) trace.data.set(chunk.traces[index]!.subarray(0, chunk.steps * trace.width), chunk.firstStep * trace.width);
    });
  }

  finish(): void {
    const description = this.description!;
    const steps = this.totalSteps;
    const ts = new Float64Array(steps);
    // A value recorded at step s describes the end of that step, as NEST stamps it.
    for (let s = 0; s < steps; s++) ts[s] = (s + 1) * description.dt;
    const results: MonitorResults = { ts };
    for (const sink of this.spikeSinks) {
      results[sink.key] = new SpikeMatrix(Int32Array.from(sink.steps), Uint32Array.from(sink.neurons), steps, sink.gidTo - sink.gidFrom);
    }
    for (const trace of this.traces) if (trace) results[trace.key] = new TraceMatrix(trace.data, steps, trace.width);
    this.results = results;
  }

  /** The data of the last finished run. */
  get data(): MonitorResults {
    if (!this.results) throw new Error('MemoryRecorder: no finished run to read yet');
    return this.results;
  }
}

/** What to do about traces too large for the memory. */
export const TRACES_ADVICE = 'monitor fewer neurons (a slice) or a shorter run, or record to files (ArrowRecorder, `spikegrid run --out`)';

/**
 * The values the traces of a run of `steps` hold. Refuses, before the run starts, a trace that one
 * array cannot hold: kept in memory, it would fail late, deep in the run. Whether they all fit in
 * the memory is the run's check (`memoryNeeded`).
 */
function tracedValues(description: NetworkDescription, steps: number): number {
  let values = 0;
  description.monitors.forEach((monitor, index) => {
    if (monitor.attr === 'spike') return;
    const [from, to] = sliceOf(description, index);
    const count = steps * (to - from);
    if (count > MAX_ARRAY_LENGTH) {
      throw new ModelError('UNSUPPORTED', `MemoryRecorder: ${monitor.target}.${monitor.attr} would hold ${count} values (${to - from} neurons × ${steps} steps), `
        + `more than one array can (${MAX_ARRAY_LENGTH}); ${TRACES_ADVICE}`);
    }
    values += count;
  });
  return values;
}
