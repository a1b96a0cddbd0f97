/**
 * Writes monitored spikes and values to Arrow IPC files as chunks arrive: `spikes.arrow` and, when
 * state variables are monitored, `traces.arrow`. Rows are collected into record batches of
 * `batchRows` and written at once, so memory stays bounded however long the run. While running the
 * files are Arrow streams (`spikes.arrows`), readable batch by batch even if the run is killed;
 * `finish` turns them into Arrow files, the form `pandas.read_feather` and `polars.read_ipc` open.
 *
 * Rows come in canonical order — spikes by step then global id; traces by step, then monitor,
 * then neuron — and batches are cut by row count alone, so the files are the same bytes whatever
 * the worker count.
 */
import { join } from 'node:path';
import type { RecordBatchStreamWriter, Schema, Utf8, Vector } from 'apache-arrow';
import { arrow } from './arrowLibrary.ts';
import { populationOffsets } from '../engine/layout.ts';
import { requireInteger, requireRecord, requireString } from '../ir/checks.ts';
import type { NetworkDescription } from '../ir/description.ts';
import type { ChunkRecord } from './chunkRecord.ts';
import { dictionary, runMetadata, spikeSchema, traceSchema } from './arrowSchema.ts';
import { fileSink, streamToFile } from './arrowFiles.ts';
import { sliceOf, type Recorder, type RunInfo } from './recorder.ts';
import { prepareRunDir } from './runFiles.ts';

export interface ArrowRecorderOptions {
  /** Rows per record batch (default 65536). */
  batchRows?: number;
}

/** Column buffers of one file, written out as a record batch when full. */
class BatchedColumns {
  readonly step: BigInt64Array;
  readonly time: Float64Array;
  readonly population: Int32Array;
  readonly neuron: Uint32Array;
  readonly variable: Int32Array | null;
  readonly value: Float64Array | null;
  rows = 0;
  /** Most rows held at once; never more than the batch size. */
  peakRows = 0;
  private readonly writer: RecordBatchStreamWriter;
  private readonly close: () => void;

  constructor(
    readonly streamPath: string,
    readonly schema: Schema,
    readonly capacity: number,
    private readonly populations: Vector<Utf8>,
    private readonly variables: Vector<Utf8> | null,
  ) {
    this.step = new BigInt64Array(capacity);
    this.time = new Float64Array(capacity);
    this.population = new Int32Array(capacity);
    this.neuron = new Uint32Array(capacity);
    this.variable = variables ? new Int32Array(capacity) : null;
    this.value = variables ? new Float64Array(capacity) : null;
    const { sink, close } = fileSink(streamPath, `the batches written before it are kept in ${streamPath}`);
    this.close = close;
    this.writer = new (arrow().RecordBatchStreamWriter)();
    this.writer.reset(sink, schema);
  }

  /** Room for one more row: writes the batch out first when it is full. */
  reserve(): number {
    if (this.rows === this.capacity) this.flush();
    const row = this.rows++;
    if (this.rows > this.peakRows) this.peakRows = this.rows;
    return row;
  }

  flush(): void {
    const n = this.rows;
    if (n === 0) return;
    const { Float64, Int64, RecordBatch, Struct, Uint32, makeData } = arrow();
    const column = <T>(type: T, data: ArrayLike<unknown>) => makeData({ type, length: n, nullCount: 0, data: (data as Int32Array).slice(0, n) } as never);
    const children = [
      column(new Int64(), this.step),
      column(new Float64(), this.time),
      makeData({ type: this.schema.fields[2].type, length: n, nullCount: 0, data: this.population.slice(0, n), dictionary: this.populations }),
      column(new Uint32(), this.neuron),
    ];
    if (this.variables) {
      children.push(makeData({ type: this.schema.fields[4].type, length: n, nullCount: 0, data: this.variable!.slice(0, n), dictionary: this.variables }));
      children.push(column(new Float64(), this.value!));
    }
    const struct = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    this.writer.write(new RecordBatch(this.schema, struct));
    this.rows = 0;
  }

  /** Writes the last rows, ends the stream and rewrites it as an Arrow file at `filePath`. */
  finish(filePath: string): void {
    this.flush();
    this.writer.finish();
    this.close();
    streamToFile(this.streamPath, filePath, this.schema);
  }
}

export class ArrowRecorder implements Recorder {
  private spikes: BatchedColumns | null = null;
  private traces: BatchedColumns | null = null;
  private description: NetworkDescription | null = null;
  private offsets: Uint32Array = new Uint32Array(0);
  /** gid ranges of the spike monitors, and the population of each. */
  private spikeRanges: Array<{ from: number; to: number; population: number }> = [];
  private traceMonitors: Array<{ monitor: number; population: number; first: number; width: number; variable: number }> = [];
  private readonly batchRows: number;

  constructor(
    readonly dir: string,
    options: ArrowRecorderOptions = {},
  ) {
    requireString('ArrowRecorder', 'dir', dir, 'a folder path');
    const { batchRows = 65536 } = requireRecord('ArrowRecorder', 'options', options);
    requireInteger('ArrowRecorder', 'batchRows', batchRows, 1);
    this.batchRows = batchRows as number;
  }

  begin({ description }: RunInfo): void {
    this.description = description;
    this.offsets = populationOffsets(description);
    prepareRunDir(this.dir, 'ArrowRecorder dir');
    const metadata = runMetadata(description);
    const populations = dictionary(description.populations.map((p) => p.name));
    const indexOf = (name: string) => description.populations.findIndex((p) => p.name === name);
    const variableNames: string[] = [];
    this.spikeRanges = [];
    this.traceMonitors = [];
    description.monitors.forEach((monitor, index) => {
      const population = indexOf(monitor.target);
      const [first, last] = sliceOf(description, index);
      if (monitor.attr === 'spike') {
        this.spikeRanges.push({ from: this.offsets[population] + first, to: this.offsets[population] + last, population });
      } else {
        if (!variableNames.includes(monitor.attr)) variableNames.push(monitor.attr);
        this.traceMonitors.push({ monitor: index, population, first, width: last - first, variable: variableNames.indexOf(monitor.attr) });
      }
    });
    this.spikes = this.spikeRanges.length
      ? new BatchedColumns(join(this.dir, 'spikes.arrows'), spikeSchema(metadata), this.batchRows, populations, null)
      : null;
    this.traces = this.traceMonitors.length
      ? new BatchedColumns(join(this.dir, 'traces.arrows'), traceSchema(metadata), this.batchRows, populations, dictionary(variableNames))
      : null;
  }

  record(chunk: ChunkRecord): void {
    const dt = this.description!.dt;
    const spikes = this.spikes;
    if (spikes) {
      const { steps, gids, count } = chunk.spikes;
      const ranges = this.spikeRanges;
      for (let n = 0; n < count; n++) {
        const gid = gids[n];
        let r = 0;
        while (r < ranges.length && !(gid >= ranges[r].from && gid < ranges[r].to)) r++;
        if (r === ranges.length) continue;
        const range = ranges[r];
        const row = spikes.reserve();
        spikes.step[row] = BigInt(steps[n]);
        spikes.time[row] = (steps[n] + 1) * dt;
        spikes.population[row] = range.population;
        spikes.neuron[row] = gid - this.offsets[range.population];
      }
    }
    const traces = this.traces;
    if (traces) {
      for (let s = 0; s < chunk.steps; s++) {
        const step = chunk.firstStep + s;
        for (const m of this.traceMonitors) {
          const values = chunk.traces[m.monitor]!;
          for (let i = 0; i < m.width; i++) {
            const row = traces.reserve();
            traces.step[row] = BigInt(step);
            traces.time[row] = (step + 1) * dt;
            traces.population[row] = m.population;
            traces.neuron[row] = m.first + i;
            traces.variable![row] = m.variable;
            traces.value![row] = values[s * m.width + i];
          }
        }
      }
    }
  }

  finish(): void {
    this.spikes?.finish(join(this.dir, 'spikes.arrow'));
    this.traces?.finish(join(this.dir, 'traces.arrow'));
  }

  /** Most rows held in memory at once (bounded by the batch size). */
  get peakBufferedRows(): number {
    return Math.max(this.spikes?.peakRows ?? 0, this.traces?.peakRows ?? 0);
  }
}
