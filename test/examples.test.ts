import test from 'ava';
import { ModelError, nn, normalizeDescription, runLocal } from '../src/index.ts';
import cuba from '../examples/cuba.ts';
import brunel from '../examples/brunel.ts';

function rates(net: nn.SNetClass, tMs: number, seed = 1) {
  const description = normalizeDescription({ ...nn.describeNetwork(new net()), seed });
  const stats = runLocal(description, { steps: Math.round(tMs / description.dt) });
  return Object.fromEntries(description.populations.map((p, i) => [p.name, stats.population_spikes[i] / p.size / (tMs / 1000)]));
}

// Reference rates come from Brian2 2.5.1 running the same networks (bench/brian2/*.py), seeds 1–3:
// CUBA E 5.3–6.3 Hz, I 5.5–5.8 Hz; Brunel at scale 0.2 E 72.4 Hz, I 73.2 Hz.

test('CUBA (4000 neurons, 1 s) fires at the rates Brian2 gives for the same network', (t) => {
  const r = rates(cuba({ n: 4000 }), 1000);
  t.true(r.E > 4.5 && r.E < 7.5, `E ${r.E} Hz`);
  t.true(r.I > 4.5 && r.I < 7.5, `I ${r.I} Hz`);
});

test('Brunel model A at scale 0.2 fires at the rates Brian2 gives, excitatory and inhibitory alike', (t) => {
  const r = rates(brunel({ scale: 0.2 }), 500);
  t.true(r.E > 65 && r.E < 82, `E ${r.E} Hz`);
  t.true(r.I > 65 && r.I < 82, `I ${r.I} Hz`);
  t.true(Math.abs(r.E - r.I) < 4, 'identical neurons and inputs give equal rates');
});

test('Brunel without inhibition (g = 0) leaves balance and fires far faster', (t) => {
  const balanced = rates(brunel({ scale: 0.1 }), 200);
  const unbalanced = rates(brunel({ scale: 0.1, g: 0 }), 200);
  t.true(unbalanced.E > 2 * balanced.E, `E ${unbalanced.E} Hz vs ${balanced.E} Hz`);
});

test('the examples refuse --set values that leave a population without neurons, naming the parameter', (t) => {
  t.throws(() => brunel({ scale: 0.00001 }), { instanceOf: ModelError, message: '--set scale: must be at least 0.0002, which gives one inhibitory neuron, got 0.00001' });
  t.throws(() => brunel({ scale: -1 }), { instanceOf: ModelError, message: /^--set scale: must be at least 0\.0002/ });
  t.throws(() => cuba({ n: 2 }), { instanceOf: ModelError, message: '--set n: must be a whole number ≥ 3, so that both populations have neurons, got 2' });
  t.throws(() => cuba({ n: 100.5 }), { instanceOf: ModelError, message: /^--set n: must be a whole number ≥ 3/ });
  t.throws(() => cuba({ p: 2 }), { instanceOf: ModelError, message: '--set p: must be a connection probability in [0, 1], got 2' });
  t.notThrows(() => brunel({ scale: 0.0002 }));
  t.notThrows(() => cuba({ n: 3 }));
});
