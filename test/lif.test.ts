import test from 'ava';
import { simulate, population } from './helpers.ts';
import type { SpikeMatrix, TraceMatrix } from '../src/index.ts';

const params = { E_L: 0, C_m: 1, tau_m: 20, t_ref: 2, V_th: 20, V_reset: 10 };

test('LIF membrane follows the analytic solution under constant input current', (t) => {
  const I = 0.5; // R·I = 10 mV, below threshold
  const { mon } = simulate({ populations: [population('n', 'LIF', 1, { ...params, I_e: I })], monitors: [{ target: 'n', attr: 'v' }] }, 40);
  const v = (mon['n.v'] as TraceMatrix).col(0);
  const R = params.tau_m / params.C_m;
  for (const step of [0, 49, 399]) {
    const expected = R * I * (1 - Math.exp(-((step + 1) * 0.1) / params.tau_m));
    t.true(Math.abs(v[step] - expected) < 1e-10, `step ${step}`);
  }
});

test('LIF input spikes move V by their weight in mV, then decay with tau_m', (t) => {
  const raw = {
    populations: [population('n', 'LIF', 1, params)],
    generators: [{ name: 'g', model: 'SpikeGenerator', size: 1, params: { spike_times: [[1.0, 1.0]] } }],
    projections: [{ name: 's', pre: 'g', post: 'n', conn: { One2One: {} }, weight: 3, delay_step: 5 }],
    monitors: [{ target: 'n', attr: 'v' }],
  };
  const v = (simulate(raw, 10).mon['n.v'] as TraceMatrix).col(0);
  // Emitted at step 9 (two spikes at the same time), seen at step 14.
  t.is(v[13], 0);
  t.is(v[14], 6);
  t.true(Math.abs(v[24] - 6 * Math.exp(-1 / params.tau_m)) < 1e-12);
});

test('LIF: weights of both signs in one projection, with delays per synapse, each move V by their weight', (t) => {
  for (const conn_repr of ['CSR', 'MAT']) {
    const raw = {
      populations: [population('n', 'LIF', 3, params)],
      generators: [{ name: 'g', model: 'SpikeGenerator', size: 1, params: { spike_times: [1.0] } }],
      projections: [{ name: 's', pre: 'g', post: 'n', conn: { All2All: {} }, conn_repr, weight: [3, -2, 1.5], delay_step: [5, 2, 7] }],
      monitors: [{ target: 'n', attr: 'v' }],
    };
    const v = simulate(raw, 3).mon['n.v'] as TraceMatrix;
    // Emitted at step 9; each neuron sees its weight after its own delay.
    t.deepEqual([v.get(13, 0), v.get(14, 0)], [0, 3], conn_repr);
    t.deepEqual([v.get(10, 1), v.get(11, 1)], [0, -2], conn_repr);
    t.deepEqual([v.get(15, 2), v.get(16, 2)], [0, 1.5], conn_repr);
  }
});

test('LIF drops input that arrives during the refractory period', (t) => {
  const raw = {
    populations: [population('n', 'LIF', 1, params)],
    generators: [{ name: 'g', model: 'SpikeGenerator', size: 1, params: { spike_times: [1.0, 1.5, 3.5] } }],
    projections: [{ name: 's', pre: 'g', post: 'n', conn: { One2One: {} }, weight: 25, delay_step: 1 }],
    monitors: [{ target: 'n', attr: 'v' }, { target: 'n', attr: 'spike' }],
  };
  const { mon } = simulate(raw, 6);
  const spikes = mon['n.spike'] as SpikeMatrix;
  // First input (step 10) fires the neuron; the second (step 15) falls in the 2 ms refractory
  // period and is lost; the third (step 35) arrives after it ends and fires again.
  t.deepEqual(Array.from(spikes.steps), [10, 35]);
  t.is((mon['n.v'] as TraceMatrix).get(15, 0), params.V_reset);
});

test('a DC-driven neuron fires at the analytic times, period = t_ref + tau·ln(R·I / (R·I − (V_th − V_reset)))', (t) => {
  for (const model of ['LIF', 'ExpLIF']) {
    const I = 1.5; // R·I = 30 mV > θ
    const p = { ...params, I_e: I };
    const { mon } = simulate({ populations: [population('n', model, 1, p)], monitors: [{ target: 'n', attr: 'spike' }] }, 200);
    const steps = Array.from((mon['n.spike'] as SpikeMatrix).steps);
    const R = params.tau_m / params.C_m;
    const first = params.tau_m * Math.log((R * I) / (R * I - params.V_th)); // from V = 0
    const period = params.t_ref + params.tau_m * Math.log((R * I - params.V_reset) / (R * I - params.V_th));
    // A spike is detected at the end of the step in which V crosses θ.
    t.is(steps[0], Math.ceil(first / 0.1 - 1e-9) - 1, `${model} first spike`);
    const intervals = steps.slice(1).map((s, i) => (s - steps[i]) * 0.1);
    for (const interval of intervals) t.true(Math.abs(interval - period) <= 0.1 + 1e-9, `${model} interval ${interval} vs ${period}`);
    t.true(intervals.length >= 8);
  }
});
