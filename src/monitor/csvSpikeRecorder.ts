/**
 * Writes every spike of the network to a CSV file as chunks arrive (`step,time_ms,population,neuron`,
 * canonical order), so memory stays bounded and a run that dies leaves every finished chunk on disk.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { populationOffsets } from '../engine/layout.ts';
import type { ChunkRecord } from './chunkRecord.ts';
import type { Recorder, RunInfo } from './recorder.ts';

export class CsvSpikeRecorder implements Recorder {
  private fd = -1;
  private offsets: Uint32Array = new Uint32Array(0);
  private names: string[] = [];
  private dt = 0.1;

  constructor(readonly path: string) {}

  begin({ description }: RunInfo): void {
    this.offsets = populationOffsets(description);
    this.names = description.populations.map((p) => p.name);
    this.dt = description.dt;
    this.fd = openSync(this.path, 'w');
    writeSync(this.fd, 'step,time_ms,population,neuron\n');
  }

  record({ spikes }: ChunkRecord): void {
    const lines: string[] = [];
    let pop = 0;
    for (let n = 0; n < spikes.count; n++) {
      const gid = spikes.gids[n];
      pop = gid < this.offsets[pop] ? 0 : pop;
      while (gid >= this.offsets[pop + 1]) pop++;
      const step = spikes.steps[n];
      // The time of a spike is the end of the step that emitted it, as NEST stamps it.
      lines.push(`${step},${((step + 1) * this.dt).toFixed(4)},${this.names[pop]},${gid - this.offsets[pop]}`);
    }
    if (lines.length) writeSync(this.fd, lines.join('\n') + '\n');
  }

  finish(): void {
    closeSync(this.fd);
  }
}
