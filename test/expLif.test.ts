import test from 'ava';
import { simulate, population } from './helpers.ts';
import type { TraceMatrix } from '../src/index.ts';

const params = { E_L: -70, C_m: 250, tau_m: 10, t_ref: 2, V_th: -55, V_reset: -70, tau_syn_ex: 2, tau_syn_in: 5 };

test('ExpLIF membrane follows the analytic solution under constant input current', (t) => {
  const I = 100; // pA, below threshold: E_L + R·I = −66 mV
  const { mon } = simulate({ populations: [population('n', 'ExpLIF', 1, { ...params, I_e: I })], monitors: [{ target: 'n', attr: 'v' }] }, 50);
  const v = (mon['n.v'] as TraceMatrix).col(0);
  const R = params.tau_m / params.C_m;
  for (const step of [0, 9, 99, 499]) {
    const time = (step + 1) * 0.1;
    const expected = params.E_L + R * I * (1 - Math.exp(-time / params.tau_m));
    t.true(Math.abs(v[step] - expected) < 1e-10, `step ${step}: ${v[step]} vs ${expected}`);
  }
});

test('ExpLIF excitatory and inhibitory PSPs follow the analytic alpha-difference kernel', (t) => {
  const w = 500; // pA
  const raw = {
    populations: [population('n', 'ExpLIF', 2, params)],
    generators: [{ name: 'g', model: 'SpikeGenerator', size: 1, params: { spike_times: [1.0] } }],
    projections: [
      { name: 'ex', pre: 'g', post: 'n', conn: { CustomConn: { pre: [0], post: [0] } }, weight: w, delay_step: 1 },
      { name: 'in', pre: 'g', post: 'n', conn: { CustomConn: { pre: [0], post: [1] } }, weight: -w, delay_step: 1 },
    ],
    monitors: [{ target: 'n', attr: 'v' }, { target: 'n', attr: 'i_syn_ex' }],
  };
  const { mon } = simulate(raw, 30);
  const v = mon['n.v'] as TraceMatrix;
  // The spike stamped 1.0 ms leaves at step 9 and arrives at step 10 (delay 1): the current jumps
  // at the end of step 10 and V starts to move at step 11.
  t.is((mon['n.i_syn_ex'] as TraceMatrix).get(9, 0), 0);
  t.is((mon['n.i_syn_ex'] as TraceMatrix).get(10, 0), w);
  t.is(v.get(10, 0), params.E_L);
  for (const [neuron, sign, tauS] of [[0, 1, params.tau_syn_ex], [1, -1, params.tau_syn_in]] as const) {
    for (const step of [11, 20, 60, 200]) {
      const s = (step - 10) * 0.1; // ms since the current jumped
      const psp = ((sign * w) / params.C_m) * ((tauS * params.tau_m) / (params.tau_m - tauS)) * (Math.exp(-s / params.tau_m) - Math.exp(-s / tauS));
      t.true(Math.abs(v.get(step, neuron) - (params.E_L + psp)) < 1e-10, `neuron ${neuron} step ${step}`);
    }
  }
});

test('ExpLIF NeurAI parameter names map onto NEST ones (C_m = tau / R)', (t) => {
  const { description } = simulate({ populations: [population('n', 'ExpLIF', 1, { V_rest: -60, tau: 20, R: 2, V_th: -50, V_reset: -65 })] }, 1);
  const p = description.populations[0].params;
  t.is(p.E_L, -60);
  t.is(p.tau_m, 20);
  t.is(p.C_m, 10);
  t.is(p.t_ref, 2, 'NEST default');
  t.is(p.tau_syn_ex, 2, 'NEST default');
});

test('each synapse\'s weight sign picks the excitatory or inhibitory current, whether a projection\'s weights share one sign or not', (t) => {
  // Delivery picks one ring per projection when every weight has the same sign, and one per
  // synapse otherwise; both must put each weight where its sign says.
  const cases: Record<string, { weight: number | number[]; delay_step: number | number[] }> = {
    'both signs': { weight: [300, -200, 100], delay_step: 1 },
    'all positive': { weight: [300, 200, 100], delay_step: [1, 1, 1] },
    'all negative': { weight: [-300, -200, -100], delay_step: 1 },
    'one negative weight, delays per synapse': { weight: -250, delay_step: [1, 1, 1] },
  };
  for (const conn_repr of ['CSR', 'MAT']) {
    for (const [name, { weight, delay_step }] of Object.entries(cases)) {
      const raw = {
        populations: [population('n', 'ExpLIF', 3, params)],
        generators: [{ name: 'g', model: 'SpikeGenerator', size: 1, params: { spike_times: [1.0] } }],
        projections: [{ name: 'gn', pre: 'g', post: 'n', conn: { All2All: {} }, conn_repr, weight, delay_step }],
        monitors: [{ target: 'n', attr: 'i_syn_ex' }, { target: 'n', attr: 'i_syn_in' }],
      };
      const { mon } = simulate(raw, 2);
      const weights = typeof weight === 'number' ? [weight, weight, weight] : weight;
      const at = (attr: string) => [0, 1, 2].map((j) => (mon[`n.${attr}`] as TraceMatrix).get(10, j));
      t.deepEqual(at('i_syn_ex'), weights.map((w) => (w > 0 ? w : 0)), `${conn_repr}, ${name}: excitatory`);
      t.deepEqual(at('i_syn_in'), weights.map((w) => (w < 0 ? w : 0)), `${conn_repr}, ${name}: inhibitory`);
    }
  }
});
