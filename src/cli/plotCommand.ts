/**
 * `spikegrid plot DIR --raster POP` and `--trace POP.VAR`: PNGs drawn from a run's Arrow files,
 * reading them batch by batch.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { RecordBatch } from 'apache-arrow';
import { join } from 'node:path';
import { ModelError } from '../errors.ts';
import { VARIABLE_UNITS } from '../ir/models.ts';
import { streamBatches } from '../monitor/arrowFiles.ts';
import { SpikeMatrix } from '../monitor/results.ts';
import { LINE_COLOURS, line_plot, raster_plot } from '../plot/visualization.ts';

export async function plotCommand(argv: readonly string[]): Promise<number> {
  const [dir, ...rest] = argv;
  const option = (name: string) => {
    const at = rest.indexOf(name);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  const raster = option('--raster');
  const trace = option('--trace');
  if (!dir || (raster === undefined) === (trace === undefined)) {
    throw new ModelError('INVALID_VALUE', 'usage: spikegrid plot DIR (--raster POP | --trace POP.VAR) [--neurons start:stop] [--file PNG]');
  }
  const run = JSON.parse(readRunJson(dir)) as { dt_ms: number; steps: number; populations: Record<string, { size: number }> };
  const [first, last] = neuronRange(option('--neurons'));
  const ts = Float64Array.from({ length: run.steps }, (_, s) => (s + 1) * run.dt_ms);
  if (raster !== undefined) {
    const size = run.populations[raster]?.size;
    if (size === undefined) throw new ModelError('UNKNOWN_NAME', `--raster ${raster}: no such population; known: ${Object.keys(run.populations).join(', ')}`);
    if (first >= size) throw new ModelError('INVALID_VALUE', `--neurons ${first}:${last}: ${raster} has neurons 0..${size - 1}; give a range within them`);
    const stop = Math.min(last ?? size, size);
    const steps: number[] = [];
    const neurons: number[] = [];
    for (const batch of streamBatches(requireFile(dir, 'spikes.arrow'))) {
      const population = namesColumn(batch, 'population', raster);
      const step = batch.getChild('step')!.toArray() as BigInt64Array;
      const neuron = batch.getChild('neuron')!.toArray() as Uint32Array;
      for (let i = 0; i < batch.numRows; i++) {
        const n = neuron[i];
        if (population.codes[i] === population.code && n >= first && n < stop) {
          steps.push(Number(step[i]));
          neurons.push(n - first);
        }
      }
    }
    const path = raster_plot(ts, new SpikeMatrix(Int32Array.from(steps), Uint32Array.from(neurons), run.steps, stop - first), {
      title: `${raster} spikes`, dir, file: option('--file') ?? `${raster}.raster.png`,
    });
    console.log(`wrote ${path}`);
    return 0;
  }
  const [population, variable, ...more] = trace!.split('.');
  if (!population || !variable || more.length > 0) {
    throw new ModelError('INVALID_VALUE', `--trace ${trace}: give a population and a variable, POP.VAR, as recorded with spikegrid run --trace`);
  }
  if (!Object.hasOwn(run.populations, population)) {
    throw new ModelError('UNKNOWN_NAME', `--trace ${trace}: no such population; known: ${Object.keys(run.populations).join(', ')}`);
  }
  // Without --neurons, the first recorded neurons, as many as have a colour of their own: a plot
  // of thousands of lines shows nothing.
  const most = option('--neurons') === undefined ? LINE_COLOURS.length : Infinity;
  // Per neuron of the population: its line's index in `lines`, or UNSEEN, or LEFT_OUT.
  const UNSEEN = -1;
  const LEFT_OUT = -2;
  const lineOf = new Int32Array(run.populations[population].size).fill(UNSEEN);
  const drawn: number[] = [];
  const lines: Float64Array[] = [];
  // The neurons recorded of this variable, to say so when none is in --neurons, or some are left out.
  let lowest = Infinity;
  let highest = -Infinity;
  let recorded = 0;
  for (const batch of streamBatches(requireFile(dir, 'traces.arrow'))) {
    const populations = namesColumn(batch, 'population', population);
    const variables = namesColumn(batch, 'variable', variable);
    const step = batch.getChild('step')!.toArray() as BigInt64Array;
    const neuron = batch.getChild('neuron')!.toArray() as Uint32Array;
    const value = batch.getChild('value')!.toArray() as Float64Array;
    for (let i = 0; i < batch.numRows; i++) {
      if (populations.codes[i] !== populations.code || variables.codes[i] !== variables.code) continue;
      const n = neuron[i];
      lowest = Math.min(lowest, n);
      highest = Math.max(highest, n);
      if (n < first || (last !== undefined && n >= last)) continue;
      let line = lineOf[n];
      if (line === UNSEEN) {
        recorded++;
        line = lineOf[n] = lines.length < most ? lines.push(new Float64Array(run.steps)) - 1 : LEFT_OUT;
        if (line >= 0) drawn.push(n);
      }
      if (line >= 0) lines[line][Number(step[i])] = value[i];
    }
  }
  if (lines.length === 0) {
    const file = join(dir, 'traces.arrow');
    throw new ModelError('UNKNOWN_NAME', lowest <= highest
      ? `--trace ${trace} --neurons ${first}:${last}: ${file} holds neurons ${lowest}..${highest} of ${trace}, none of these; give --neurons within them, or record these with --trace ${trace}[${first}:${last}]`
      : `--trace ${trace}: not in ${file}${recordedTraces(file)}; record it with spikegrid run --trace ${trace}`);
  }
  const unit = VARIABLE_UNITS[variable];
  // A legend while each line has a colour of its own.
  const labels = lines.length <= LINE_COLOURS.length ? drawn.map((n) => `neuron ${n}`) : undefined;
  const path = line_plot(ts, lines, {
    title: `${trace}`, ylabel: unit ? `${trace} (${unit})` : trace, labels, dir, file: option('--file') ?? `${trace}.png`,
  });
  if (recorded > lines.length) {
    console.log(`${trace}: plotted neurons ${drawn.join(', ')}, the first ${lines.length} of the ${recorded} recorded; choose others with --neurons start:stop`);
  }
  console.log(`wrote ${path}`);
  return 0;
}

/** What a traces file holds, as ", which holds E.v, I.v" (every trace is in its first batch); "" for none. */
function recordedTraces(file: string): string {
  for (const batch of streamBatches(file)) {
    const population = batch.getChild('population')!;
    const variable = batch.getChild('variable')!;
    const traces = new Set<string>();
    for (let i = 0; i < batch.numRows; i++) traces.add(`${population.get(i)}.${variable.get(i)}`);
    return traces.size > 0 ? `, which holds ${[...traces].join(', ')}` : '';
  }
  return '';
}

/**
 * A batch's column of names (dictionary-encoded) as the names' codes, row by row, and the code of
 * `name`: -1 where the batch's dictionary does not hold it. Comparing codes rather than reading each
 * row's name makes reading a long trace file several times faster.
 */
function namesColumn(batch: RecordBatch, column: string, name: string): { codes: Int32Array; code: number } {
  const data = batch.getChild(column)!.data[0];
  const names = data.dictionary!;
  let code = -1;
  for (let k = 0; k < names.length && code < 0; k++) if (names.get(k) === name) code = k;
  return { codes: (data.values as Int32Array).subarray(data.offset, data.offset + data.length), code };
}

function neuronRange(text: string | undefined): [number, number | undefined] {
  if (text === undefined) return [0, undefined];
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match || Number(match[2]) <= Number(match[1])) throw new ModelError('INVALID_VALUE', `--neurons must be start:stop with stop > start, got ${JSON.stringify(text)}`);
  return [Number(match[1]), Number(match[2])];
}

function readRunJson(dir: string): string {
  return readFileSync(requireFile(dir, 'run.json'), 'utf8');
}

function requireFile(dir: string, name: string): string {
  const path = join(dir, name);
  if (!existsSync(path)) throw new ModelError('UNKNOWN_NAME', `${path} does not exist; run a model with --out ${dir} first`);
  return path;
}
