import test from 'ava';
import { normalizeDescription } from '../src/ir/normalize.ts';
import { PartitionEngine } from '../src/engine/partitionEngine.ts';
import { wholeNetwork } from '../src/engine/layout.ts';
import { nativeKernels } from '../src/engine/nativeKernels.ts';
import { population, withJavaScript } from './helpers.ts';

const params = { E_L: -70, C_m: 250, tau_m: 10, t_ref: 2, V_th: -55, V_reset: -70, tau_syn_ex: 2, tau_syn_in: 5 };

test('each input ring holds the longest delay of the synapses that write into it, plus one slot', async (t) => {
  const description = normalizeDescription({
    populations: [population('A', 'ExpLIF', 3, params), population('B', 'ExpLIF', 2, params), population('C', 'LIF', 2, { E_L: 0, C_m: 1, tau_m: 20, t_ref: 2, V_th: 20, V_reset: 0 })],
    generators: [
      { name: 'g', model: 'SpikeGenerator', size: 1, params: { spike_times: [1] } },
      { name: 'dc', model: 'DCGenerator', size: 2, params: { amplitude: 10 } },
    ],
    projections: [
      // A: excitatory input up to 9 steps, inhibitory 6.
      { name: 'g_A', pre: 'g', post: 'A', conn: { All2All: {} }, weight: 5, delay_step: [2, 9, 4] },
      { name: 'A_A', pre: 'A', post: 'A', conn: { All2All: {} }, weight: -3, delay_step: 6 },
      // B: weights of both signs reach both rings (up to 7 steps); a current through 5 steps.
      { name: 'A_B', pre: 'A', post: 'B', conn: { All2All: {} }, weight: [1, -1, 2, -2, 3, -3], delay_step: [3, 7, 3, 3, 1, 2] },
      { name: 'dc_B', pre: 'dc', post: 'B', conn: { One2One: {} }, weight: 1, delay_step: 5 },
      // C, with one ring for both signs: the longer of 8 (inhibitory) and 3 (excitatory).
      { name: 'A_C', pre: 'A', post: 'C', conn: { All2All: {} }, weight: -1, delay_step: 8 },
      { name: 'B_C', pre: 'B', post: 'C', conn: { All2All: {} }, weight: 1, delay_step: 3 },
    ],
  });
  const engine = new PartitionEngine(description, wholeNetwork(description));
  const [a, b, c] = engine.populations;
  t.deepEqual(a.ringSlots, { positive: 10, negative: 7, current: 1 });
  // With the addon, B's synaptic input (all of it per-synapse weights and delays) comes in arrival
  // order, into rings of a chunk's slots (one step); without it, up to 7 steps ahead.
  t.deepEqual(b.ringSlots, nativeKernels() ? { positive: 1, negative: 1, current: 6 } : { positive: 8, negative: 8, current: 6 });
  const javascript = await withJavaScript(() => new PartitionEngine(description, wholeNetwork(description)));
  t.deepEqual(javascript.populations[1].ringSlots, { positive: 8, negative: 8, current: 6 });
  t.deepEqual(c.ringSlots, { positive: 9, negative: 9, current: 1 });
  t.is(a.ringPositive.length, 10 * 3);
  t.is(a.ringNegative.length, 7 * 3);
  t.is(b.ringCurrent.length, 6 * 2);
  t.is(c.ringPositive, c.ringNegative);
  t.is(c.ringPositive.length, 9 * 2);
});
