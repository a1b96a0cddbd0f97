import test from 'ava';
import { simulate, population } from './helpers.ts';
import type { SpikeMatrix, TraceMatrix } from '../src/index.ts';

/** A small recurrent ExpLIF network whose spikes depend on every synaptic sum. */
function network(repr: string, weight: unknown) {
  return {
    seed: 3,
    populations: [population('A', 'ExpLIF', 60, { E_L: -65, V_th: -50, V_reset: -65, tau_m: 10, C_m: 250 }, { Uniform: { low: -65, high: -50 } })],
    generators: [{ name: 'drive', model: 'PoissonGenerator', size: 60, params: { rate: 8000 } }],
    projections: [
      { name: 'in', pre: 'drive', post: 'A', conn: { One2One: {} }, weight: 90 },
      { name: 'rec', pre: 'A', post: 'A', conn: { FixedProb: { p: 0.3 } }, conn_repr: repr, weight, delay_step: { Uniform: { low: 2, high: 6 } } },
    ],
    monitors: [{ target: 'A', attr: 'spike' }, { target: 'A', attr: 'v' }, { target: 'A', attr: 'i_syn_in' }],
  };
}

test('ConnectRepr chooses storage only: COO, CSR, CSC and MAT give bit-identical spikes and traces', (t) => {
  for (const weight of [{ Normal: { mean: 40, sd: 80 } }, -35]) {
    const runs = ['COO', 'CSR', 'CSC', 'MAT'].map((repr) => simulate(network(repr, weight), 200));
    const reference = runs[0];
    t.true(reference.stats.spikes > 100, `the network is active (${reference.stats.spikes} spikes)`);
    for (const run of runs.slice(1)) {
      t.is(run.stats.spikes_sha256, reference.stats.spikes_sha256);
      t.deepEqual((run.mon['A.v'] as TraceMatrix).data, (reference.mon['A.v'] as TraceMatrix).data);
      t.deepEqual((run.mon['A.i_syn_in'] as TraceMatrix).data, (reference.mon['A.i_syn_in'] as TraceMatrix).data);
      t.deepEqual((run.mon['A.spike'] as SpikeMatrix).steps, (reference.mon['A.spike'] as SpikeMatrix).steps);
    }
  }
});

test('the same seed gives the same spikes; another seed gives other spikes', (t) => {
  const a = simulate(network('CSR', -35), 100).stats;
  const b = simulate(network('CSR', -35), 100).stats;
  const c = simulate({ ...network('CSR', -35), seed: 4 }, 100).stats;
  t.is(a.spikes_sha256, b.spikes_sha256);
  t.not(a.spikes_sha256, c.spikes_sha256);
});
