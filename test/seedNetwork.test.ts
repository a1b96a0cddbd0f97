import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelError, MonitorBS, MonitorConf, MemoryRecorder, visualization, slice, type SpikeMatrix, type TraceMatrix } from '../src/index.ts';
import SNetwork from '../examples/seed.ts';

function runSeed(t = 5.0, monitors = [new MonitorConf('ExpLIF_0', 'spike'), new MonitorConf('ExpLIF_0', 'v')]) {
  const net = new SNetwork();
  const monitorbs = new MonitorBS({ monitors, recorder: new MemoryRecorder() });
  const param = net.init();
  return { param, mon: net.run(param, { t, monitor: monitorbs }) };
}

test('the seed network builds with NeurAI default names and the published parameters', (t) => {
  const { param } = runSeed(0.1);
  const description = param.layers.get('network')!;
  t.deepEqual(description.populations.map((p) => p.name), ['ExpLIF_0', 'ExpLIF_1']);
  t.deepEqual(description.generators.map((g) => g.name), ['PoissonGenerator_0', 'DCGenerator_0']);
  t.deepEqual(description.projections.map((p) => [p.name, p.pre, p.post]), [
    ['StaticSynapse_0', 'PoissonGenerator_0', 'ExpLIF_0'],
    ['StaticSynapse_1', 'DCGenerator_0', 'ExpLIF_1'],
    ['StaticSynapse_2', 'ExpLIF_0', 'ExpLIF_1'],
  ]);
  t.like(description.populations[0].params, { E_L: -60, V_th: -50, V_reset: -60, tau_m: 20, I_e: 0 });
  t.like(description.projections[2], { conn: { FixedTotalNum: { num: 80, multi_conn: false } }, conn_repr: 'MAT', weight: 5, delay_step: 2 });
});

test('run returns ts and steps × neurons matrices with row and column access', (t) => {
  const { mon } = runSeed();
  t.is(mon.ts.length, 50);
  t.is(mon.ts[49], 5);
  const spikes = mon['ExpLIF_0.spike'] as SpikeMatrix;
  const v = mon['ExpLIF_0.v'] as TraceMatrix;
  t.deepEqual(spikes.shape, [50, 100]);
  t.deepEqual(v.shape, [50, 100]);
  t.true(spikes.count > 20, `${spikes.count} spikes in 5 ms at ≈ 1 kHz Poisson drive`);
  // Row, column and element access agree with the event list.
  const k = 7;
  const [step, neuron] = [spikes.steps[k], spikes.neurons[k]];
  t.is(spikes.get(step, neuron), 1);
  t.is(spikes.row(step)[neuron], 1);
  t.is(spikes.col(neuron)[step], 1);
  t.is(spikes.toDense().reduce((a, b) => a + b, 0), spikes.count);
  // A neuron that spiked sits at V_reset at that step.
  t.is(v.get(step, neuron), -60);
  t.is(v.col(neuron)[step], v.row(step)[neuron]);
  t.is(v.get(0, 0) < -54 && v.get(0, 0) > -56, true, 'starts near v_init = −55 mV');
});

test('an index outside a result matrix is an error, not a value of another cell', (t) => {
  const { mon } = runSeed();
  const spikes = mon['ExpLIF_0.spike'] as SpikeMatrix;
  const v = mon['ExpLIF_0.v'] as TraceMatrix;
  // Row-major: v.get(0, 100) would otherwise read step 1's neuron 0.
  t.is(t.throws(() => v.get(0, 100), { instanceOf: ModelError })?.message, 'TraceMatrix of 50 steps × 100 neurons: neuron must be a whole number in 0..99, got 100');
  t.is(t.throws(() => v.row(50), { instanceOf: ModelError })?.message, 'TraceMatrix of 50 steps × 100 neurons: step must be a whole number in 0..49, got 50');
  t.is(t.throws(() => v.col(-1), { instanceOf: ModelError })?.message, 'TraceMatrix of 50 steps × 100 neurons: neuron must be a whole number in 0..99, got -1');
  t.is(t.throws(() => spikes.col(100), { instanceOf: ModelError })?.message, 'SpikeMatrix of 50 steps × 100 neurons: neuron must be a whole number in 0..99, got 100');
  t.is(t.throws(() => spikes.get(2.5, 0), { instanceOf: ModelError })?.message, 'SpikeMatrix of 50 steps × 100 neurons: step must be a whole number in 0..49, got 2.5');
  t.is(t.throws(() => spikes.row(-1), { instanceOf: ModelError })?.message, 'SpikeMatrix of 50 steps × 100 neurons: step must be a whole number in 0..49, got -1');
});

test('monitor slices record only the chosen neurons', (t) => {
  const { mon } = runSeed(5, [new MonitorConf('ExpLIF_0', 'v', slice(10, 13)), new MonitorConf('ExpLIF_0', 'spike')]);
  const part = mon['ExpLIF_0.v'] as TraceMatrix;
  t.deepEqual(part.shape, [50, 3]);
  const full = runSeed(5).mon['ExpLIF_0.v'] as TraceMatrix;
  for (let s = 0; s < 50; s++) t.deepEqual(Array.from(part.row(s)), Array.from(full.row(s).subarray(10, 13)));
});

test('raster_plot and line_plot write readable PNG files', (t) => {
  const { mon } = runSeed();
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-plot-'));
  const raster = visualization.raster_plot(mon.ts, mon['ExpLIF_0.spike'] as SpikeMatrix, { save: true, title: 'ExpLIF_0.spike', dir })!;
  const line = visualization.line_plot(mon.ts, (mon['ExpLIF_0.v'] as TraceMatrix).col(0), { xlabel: 'Time(ms)', ylabel: 'V (mV)', save: true, title: 'ExpLIF_0.v', dir })!;
  for (const path of [raster, line]) {
    const png = readFileSync(path);
    t.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    t.is(png.readUInt32BE(16), 900, 'width');
    t.is(png.readUInt32BE(20), 560, 'height');
    t.true(png.length > 10000, 'has content');
  }
  t.is(raster, join(dir, 'ExpLIF_0.spike.png'));
});

test('line_plot with labels draws a legend: a swatch of each line\'s colour in the top right corner', async (t) => {
  const { loadImage, createCanvas } = await import('@napi-rs/canvas');
  const dir = mkdtempSync(join(tmpdir(), 'spikegrid-plot-'));
  const ts = Float64Array.from({ length: 100 }, (_, k) => k + 1);
  const lines = [0, 1, 2].map((i) => Float64Array.from(ts, (x) => Math.sin(x / 10 + i)));
  const pixels = async (file: string, labels?: string[]) => {
    const image = await loadImage(readFileSync(visualization.line_plot(ts, lines, { title: 'three', dir, file, labels })!));
    const ctx = createCanvas(image.width, image.height).getContext('2d');
    ctx.drawImage(image, 0, 0);
    return ctx.getImageData(0, 0, image.width, image.height);
  };
  const plain = await pixels('plain.png');
  const labelled = await pixels('labelled.png', ['neuron 0', 'neuron 1', 'neuron 2']);
  // The legend is all that differs, and it lies in the top right corner of the plot area.
  let left = Infinity;
  let top = Infinity;
  for (let y = 0; y < plain.height; y++) {
    for (let x = 0; x < plain.width; x++) {
      const at = 4 * (y * plain.width + x);
      if ([0, 1, 2].some((c) => plain.data[at + c] !== labelled.data[at + c])) {
        left = Math.min(left, x);
        top = Math.min(top, y);
        t.true(x > plain.width / 2 && y < plain.height / 3, `pixel (${x}, ${y}) changed outside the corner`);
      }
    }
  }
  t.true(left < Infinity, 'the legend was drawn');
  // Each 20-pixel row has its swatch, a short line in its line's colour, left in the box.
  for (const [i, colour] of [[31, 78, 156], [192, 57, 43], [39, 174, 96]].entries()) {
    const column = Array.from({ length: 20 }, (_, k) => 4 * ((top + 4 + 20 * i + k) * plain.width + left + 17));
    t.true(column.some((at) => [0, 1, 2].every((c) => labelled.data[at + c] === colour[c])), `swatch ${i}`);
  }
  t.throws(() => visualization.line_plot(ts, lines, { dir, labels: ['one'] }), { message: 'line_plot: labels has 1 entries but there are 3 lines' });
});
