import test from 'ava';
import { ModelError, normalizeDescription, nn } from '../index.ts';
import { buildProjection } from '../src/engine/connectivity/buildProjection.ts';
import { runLocal } from '../src/run/runLocal.ts';
import { MemoryRecorder } from '../src/monitor/memoryRecorder.ts';
import type { SpikeMatrix } from '../src/monitor/results.ts';
import pd14, { connectionProbabilities, fullSizes, populations, pscFromPsp, synapseCount } from '../examples/pd14.ts';

const scale = 0.02;
const description = normalizeDescription({ ...nn.describeNetwork(new (pd14({ scale }))()), seed: 5 });
const index = (name: string) => description.projections.findIndex((p) => p.name === name);
const table = (name: string) => {
  const projection = description.projections[index(name)];
  const post = description.populations.find((p) => p.name === projection.post)!;
  return buildProjection(description, index(name), { start: 0, stop: post.size });
};

test('PD14 converts the 0.15 mV PSP into NEST’s PSC amplitude', (t) => {
  t.true(Math.abs(pscFromPsp(0.15) - 87.81) < 0.01, `${pscFromPsp(0.15)} pA`);
});

test('PD14 builds the published number of synapses for every population pair, scaled with the targets', (t) => {
  t.is(description.populations.length, 8);
  let total = 0;
  populations.forEach((target, ti) => populations.forEach((source, si) => {
    const p = connectionProbabilities[ti][si];
    const name = `${source}_to_${target}`;
    const expected = Math.round(synapseCount(p, fullSizes[si], fullSizes[ti]) * scale);
    if (expected === 0) return t.is(index(name), -1, name);
    total += expected;
    const projection = description.projections[index(name)];
    t.deepEqual(projection.conn, { FixedTotalNum: { num: expected, multi_conn: true } }, name);
  }));
  // The whole circuit has ≈ 3·10⁸ synapses at full scale.
  t.true(Math.abs(total / scale / 2.98e8 - 1) < 0.02, `${total / scale}`);
  t.is(table('L4E_to_L23E').count, (description.projections[index('L4E_to_L23E')].conn as { FixedTotalNum: { num: number } }).FixedTotalNum.num);
});

test('PD14 weights: normal around ±87.8 pA with relative sd 0.1, inhibition ×(−4), L4E→L23E doubled, signs kept', (t) => {
  const w = pscFromPsp(0.15);
  for (const [name, mean] of [['L23E_to_L23E', w], ['L4E_to_L23E', 2 * w], ['L23I_to_L4E', -4 * w], ['L6I_to_L6I', -4 * w]] as const) {
    const weights = Array.from(table(name).weights!);
    const m = weights.reduce((a, b) => a + b, 0) / weights.length;
    const sd = Math.sqrt(weights.reduce((a, b) => a + (b - m) ** 2, 0) / (weights.length - 1));
    t.true(Math.abs(m / mean - 1) < 0.01, `${name} mean ${m} vs ${mean}`);
    t.true(Math.abs(sd / Math.abs(mean) - 0.1) < 0.005, `${name} sd ${sd}`);
    t.true(weights.every((x) => Math.sign(x) === Math.sign(mean)), `${name} signs`);
  }
});

test('PD14 delays: normal, mean 1.5 ms excitatory and 0.75 ms inhibitory, relative sd 0.5, never below dt', (t) => {
  for (const [name, mean] of [['L23E_to_L23E', 1.5], ['L23I_to_L23E', 0.75]] as const) {
    const delays = Array.from(table(name).delays!, (d) => d * 0.1);
    const m = delays.reduce((a, b) => a + b, 0) / delays.length;
    const sd = Math.sqrt(delays.reduce((a, b) => a + (b - m) ** 2, 0) / (delays.length - 1));
    t.true(delays.every((d) => d >= 0.1 - 1e-12), `${name} min`);
    // Truncation at dt lifts the mean of the short inhibitory delays a little.
    t.true(Math.abs(m - mean) < 0.06 * mean + 0.01, `${name} mean ${m}`);
    t.true(Math.abs(sd - 0.5 * mean) < 0.1 * mean, `${name} sd ${sd}`);
  }
});

test('PD14 at a small scale fires every population at a plausible rate', (t) => {
  const monitors = description.populations.map((p) => ({ target: p.name, attr: 'spike' }));
  const withMonitors = normalizeDescription({ ...nn.describeNetwork(new (pd14({ scale }))()), seed: 5, monitors });
  const recorder = new MemoryRecorder();
  runLocal(withMonitors, { steps: 4000, recorders: [recorder] });
  for (const p of withMonitors.populations) {
    const spikes = recorder.data[`${p.name}.spike`] as SpikeMatrix;
    // Rates after a 100 ms warm-up.
    const late = Array.from(spikes.steps).filter((s) => s >= 1000).length;
    const rate = late / p.size / 0.3;
    t.true(rate > 0.2 && rate < 40, `${p.name} ${rate.toFixed(2)} Hz`);
  }
});

test('PD14 refuses --set values outside its published model: scale above 1, k_scale 0, an unknown background', (t) => {
  t.throws(() => pd14({ scale: 2 }), { instanceOf: ModelError, message: '--set scale: must be in (0, 1], 1 being the published model, got 2' });
  t.throws(() => pd14({ k_scale: 0 }), { instanceOf: ModelError, message: '--set k_scale: must be in (0, 1], got 0' });
  t.throws(() => pd14({ bg: 'noise' }), { instanceOf: ModelError, message: '--set bg: must be dc or poisson, got "noise"' });
  t.notThrows(() => pd14({ scale: 1, bg: 'poisson' }));
});
