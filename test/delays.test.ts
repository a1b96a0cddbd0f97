import test from 'ava';
import { simulate, population } from './helpers.ts';
import type { SpikeMatrix } from '../src/index.ts';
import { chunkSteps } from '../src/engine/timing.ts';

const strong = { E_L: 0, C_m: 1, tau_m: 20, t_ref: 2, V_th: 20, V_reset: 0 };

/** Spike generator → a → b → c, each link strong enough to fire the next neuron. */
function chain(delays: [number, number, number]) {
  return {
    populations: [population('a', 'LIF', 1, strong), population('b', 'LIF', 1, strong), population('c', 'LIF', 1, strong)],
    generators: [{ name: 'g', model: 'SpikeGenerator', size: 1, params: { spike_times: [0.5] } }],
    projections: [
      { name: 'g_a', pre: 'g', post: 'a', conn: { One2One: {} }, weight: 30, delay_step: delays[0] },
      { name: 'a_b', pre: 'a', post: 'b', conn: { One2One: {} }, weight: 30, delay_step: delays[1] },
      { name: 'b_c', pre: 'b', post: 'c', conn: { One2One: {} }, weight: 30, delay_step: delays[2] },
    ],
    monitors: ['a', 'b', 'c'].map((target) => ({ target, attr: 'spike' })),
  };
}

test('a spike emitted at step s through delay d is first seen by the target at step s + d', (t) => {
  const { mon } = simulate(chain([3, 7, 12]), 5);
  const first = (name: string) => (mon[`${name}.spike`] as SpikeMatrix).steps[0];
  // The generator's spike stamped 0.5 ms leaves at step 4.
  t.is(first('a'), 4 + 3);
  t.is(first('b'), 4 + 3 + 7);
  t.is(first('c'), 4 + 3 + 7 + 12);
  t.deepEqual(mon.ts.subarray(0, 3), Float64Array.from([0.1, 0.2, 0.30000000000000004]));
});

test('per-synapse delays: each target first sees the spike after its own delay, also where the input ring wraps', (t) => {
  // a fires at step 4 + 3 (spike at 0.5 ms through delay 3) and again at 4.5 ms (step 44 + 3); the
  // ring holds 13 slots (the longest delay, 12, and the slot being read), so the second spike's
  // arrivals at 11 and 5 steps wrap around it.
  const delays = [2, 11, 5];
  for (const conn_repr of ['CSR', 'MAT']) {
    const network = chain([3, 7, 12]);
    network.populations.push(population('fan', 'LIF', 3, strong));
    network.generators[0].params.spike_times = [0.5, 4.5];
    network.projections.push({ name: 'a_fan', pre: 'a', post: 'fan', conn: { All2All: {} }, conn_repr, weight: 30, delay_step: delays } as never);
    network.monitors.push({ target: 'fan', attr: 'spike' });
    const { mon } = simulate(network, 8);
    const fan = mon['fan.spike'] as SpikeMatrix;
    const firsts = [0, 1, 2].map((j) => [...fan.steps].filter((_, n) => fan.neurons[n] === j));
    t.deepEqual(firsts, delays.map((d) => [7 + d, 47 + d]), conn_repr);
  }
});

test('the chunk length is the smallest delay between neuron populations, whatever feeds them', (t) => {
  const { description } = simulate(chain([1, 7, 12]), 1);
  t.is(chunkSteps(description), 7);
});

test('runs that end mid-chunk stop exactly at round(t/dt) steps', (t) => {
  const { stats, mon } = simulate(chain([3, 7, 12]), 2.35);
  t.is(stats.steps, 24);
  t.is(mon.ts.length, 24);
  t.is((mon['c.spike'] as SpikeMatrix).count, 0);
  t.is((mon['b.spike'] as SpikeMatrix).steps[0], 14);
});
