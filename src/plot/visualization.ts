/**
 * `visualization.raster_plot` and `visualization.line_plot`, as NeurAI and BrainPy name them. They
 * write PNG files (`<dir>/<title>.png`) and return the path; with `show` the path is printed, since
 * a simulator on a cluster node has no window to open.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ModelError } from '../errors.ts';
import { makeOutputDir } from '../outputDir.ts';
import { fail, requireRecord } from '../ir/checks.ts';
import { SpikeMatrix } from '../monitor/results.ts';
import { drawFrame, drawLegend, type FrameOptions } from './axes.ts';

export interface PlotOptions extends FrameOptions {
  show?: boolean;
  save?: boolean;
  /** Folder for the PNG; default the working directory. */
  dir?: string;
  /** File name, within `dir`, or a path of its own; default derived from the title. */
  file?: string;
  /** `line_plot`: one label per line, shown in a legend. */
  labels?: readonly string[];
}

/** Colours of successive lines; they repeat after five. */
export const LINE_COLOURS = ['#1f4e9c', '#c0392b', '#27ae60', '#8e44ad', '#e67e22'];

/** Spike raster: one dot per spike, time on x, neuron index on y. */
export function raster_plot(ts: ArrayLike<number>, spikes: SpikeMatrix, options: PlotOptions = {}): string | undefined {
  requireTimes('raster_plot', ts);
  if (!(spikes instanceof SpikeMatrix)) fail('raster_plot', 'spikes', 'a spike matrix, as mon["<name>.spike"]', spikes);
  requireRecord('raster_plot', 'options', options);
  if (spikes.rows !== ts.length) {
    throw new ModelError('LENGTH_MISMATCH', `raster_plot: ts has ${ts.length} steps but the spike matrix has ${spikes.rows}`);
  }
  const t0 = ts.length ? ts[0] : 0;
  const t1 = ts.length ? ts[ts.length - 1] : 1;
  const frame = drawFrame([t0, t1], [-0.5, spikes.cols - 0.5], { xlabel: 'Time (ms)', ylabel: 'Neuron index', ...options });
  const { ctx } = frame;
  ctx.fillStyle = '#1f4e9c';
  const radius = spikes.count > 20000 ? 0.8 : 1.6;
  for (let k = 0; k < spikes.count; k++) {
    ctx.fillRect(frame.x(ts[spikes.steps[k]]) - radius, frame.y(spikes.neurons[k]) - radius, 2 * radius, 2 * radius);
  }
  return finish(frame.canvas.toBuffer('image/png'), options, 'raster');
}

/** One or more lines over time. */
export function line_plot(ts: ArrayLike<number>, values: ArrayLike<number> | ArrayLike<number>[], options: PlotOptions = {}): string | undefined {
  requireTimes('line_plot', ts);
  requireRecord('line_plot', 'options', options);
  const lines = isArrayOfLines(values) ? values : [values];
  let min = Infinity;
  let max = -Infinity;
  lines.forEach((line, i) => {
    if (!isNumbers(line)) fail('line_plot', lines === values ? `values[${i}]` : 'values', 'an array of numbers, as a column of mon["<name>.v"]', line);
    if (line.length !== ts.length) throw new ModelError('LENGTH_MISMATCH', `line_plot: line ${i} has ${line.length} values but ts has ${ts.length}`);
    for (let k = 0; k < line.length; k++) {
      if (line[k] < min) min = line[k];
      if (line[k] > max) max = line[k];
    }
  });
  const pad = (max - min) * 0.05 || 1;
  const t0 = ts.length ? ts[0] : 0;
  const t1 = ts.length ? ts[ts.length - 1] : 1;
  const frame = drawFrame([t0, t1], [min - pad, max + pad], { xlabel: 'Time (ms)', ...options });
  lines.forEach((line, i) => {
    frame.ctx.strokeStyle = LINE_COLOURS[i % LINE_COLOURS.length];
    frame.ctx.lineWidth = 1.5;
    frame.ctx.beginPath();
    for (let k = 0; k < line.length; k++) {
      if (k === 0) frame.ctx.moveTo(frame.x(ts[k]), frame.y(line[k]));
      else frame.ctx.lineTo(frame.x(ts[k]), frame.y(line[k]));
    }
    frame.ctx.stroke();
  });
  if (options.labels) {
    if (options.labels.length !== lines.length) {
      throw new ModelError('LENGTH_MISMATCH', `line_plot: labels has ${options.labels.length} entries but there are ${lines.length} lines`);
    }
    drawLegend(frame, options.labels.map((label, i) => ({ label, colour: LINE_COLOURS[i % LINE_COLOURS.length] })));
  }
  return finish(frame.canvas.toBuffer('image/png'), options, 'line');
}

/** Whether `value` is an array or typed array (of numbers, for an array: its first element is checked). */
function isNumbers(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) || (Array.isArray(value) && (value.length === 0 || typeof value[0] === 'number'));
}

function requireTimes(plot: string, ts: unknown): void {
  if (!isNumbers(ts)) fail(plot, 'ts', 'an array of times, as mon.ts', ts);
}

function isArrayOfLines(values: ArrayLike<number> | ArrayLike<number>[]): values is ArrayLike<number>[] {
  return Array.isArray(values) && values.length > 0 && typeof values[0] !== 'number';
}

function finish(png: Buffer, options: PlotOptions, fallback: string): string | undefined {
  if (options.save === false && !options.show) return undefined;
  const name = options.file ?? `${(options.title ?? fallback).replace(/[^\w.-]+/g, '_')}.png`;
  // A file name is taken within `dir`; a path with directories, or an absolute one, as it is.
  const path = resolve(options.dir ?? '.', name);
  makeOutputDir(dirname(path), 'plot dir');
  try {
    writeFileSync(path, png);
  } catch (error) {
    throw new ModelError('INVALID_VALUE', `plot file ${path}: ${(error as Error).message}; give a file that can be written`);
  }
  if (options.show) console.log(`plot written to ${path}`);
  return path;
}
