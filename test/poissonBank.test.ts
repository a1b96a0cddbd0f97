import test from 'ava';
import { normalizeDescription } from '../src/ir/normalize.ts';
import { PartitionEngine } from '../src/engine/partitionEngine.ts';
import { wholeNetwork } from '../src/engine/layout.ts';
import { DRAW_PIECE, PoissonBank } from '../src/engine/poissonBank.ts';
import { PeerAborted, waitForChange } from '../src/exchange/barrier.ts';
import type { LifPopulation } from '../src/engine/models/lif.ts';
import { population } from './helpers.ts';

const lif = { E_L: 0, C_m: 1, tau_m: 20, t_ref: 2, V_th: 20, V_reset: 10 };
const size = 2 * DRAW_PIECE + 300;

/**
 * Every kind of Poisson drive: one synapse per output (the kernel without branches), rows of
 * several synapses with weights of their own, a generator active only in a window, and a mean too
 * large to be drawn by table (never drawn ahead). More outputs than one piece of drawing ahead, so
 * steps are drawn ahead in part.
 */
function network() {
  return normalizeDescription({
    seed: 5,
    populations: [population('E', 'LIF', size, lif, { Uniform: { low: 0, high: 20 } })],
    generators: [
      { name: 'one', model: 'PoissonGenerator', size, params: { rate: 15000 } },
      { name: 'rows', model: 'PoissonGenerator', size: 500, params: { rate: 400 } },
      { name: 'window', model: 'PoissonGenerator', size, params: { rate: 2000, start: 3, stop: 7.5 } },
      { name: 'large', model: 'PoissonGenerator', size: 40, params: { rate: 400000 } },
    ],
    projections: [
      { name: 'one_E', pre: 'one', post: 'E', conn: { One2One: {} }, weight: 0.1, delay_step: 15 },
      { name: 'rows_E', pre: 'rows', post: 'E', conn: { FixedProb: { p: 0.01 } }, weight: { Normal: { mean: 0.5, sd: 0.2 } }, delay_step: { Uniform: { low: 15, high: 30 } } },
      { name: 'window_E', pre: 'window', post: 'E', conn: { One2One: {} }, weight: 0.3, delay_step: 20 },
      { name: 'large_E', pre: 'large', post: 'E', conn: { FixedProb: { p: 0.02 } }, weight: 0.01, delay_step: 15 },
      { name: 'E_E', pre: 'E', post: 'E', conn: { FixedProb: { p: 0.02 } }, weight: -0.5, delay_step: 15 },
    ],
  });
}

/** Runs `chunks` chunks; before each, `drawAhead` is called as often as `calls(chunk)` says. */
function run(chunks: number, calls: (chunk: number) => number) {
  const description = network();
  const engine = new PartitionEngine(description, wholeNetwork(description));
  const spikes: number[] = [];
  let drawn = 0;
  for (let chunk = 0; chunk < chunks; chunk++) {
    for (let c = calls(chunk); c > 0 && engine.drawAhead(); c--) drawn++;
    engine.advance(chunk * engine.chunkSteps, engine.chunkSteps);
    for (let n = 0; n < engine.spikes.count; n++) spikes.push(engine.spikes.steps[n], engine.spikes.gids[n]);
    engine.deliver(engine.spikes);
  }
  const e = engine.populations[0] as LifPopulation;
  return { spikes, v: Float64Array.from(e.v), ring: Float64Array.from(e.ringPositive), events: engine.generatorEvents, drawn };
}

test('counts drawn ahead, whole steps or parts of one, give the run that drawing them in time gives', (t) => {
  const chunks = 40;
  const reference = run(chunks, () => 0);
  t.true(reference.spikes.length / 2 > 500, `${reference.spikes.length / 2} spikes`);
  t.is(reference.drawn, 0);
  // Pseudo-random numbers of pieces: none, part of a step, several steps, until the bank is full.
  const pattern = [0, 1, 3, 7, 2, 1000, 0, 5, 11, 1];
  const ahead = run(chunks, (chunk) => pattern[chunk % pattern.length]);
  t.true(ahead.drawn > 100, `${ahead.drawn} pieces drawn ahead`);
  t.deepEqual(ahead.spikes, reference.spikes);
  t.deepEqual(ahead.v, reference.v);
  t.deepEqual(ahead.ring, reference.ring);
  t.is(ahead.events, reference.events);
});

/** Ten Poisson outputs into ten neurons, active for `stopMs` (one piece of drawing ahead per step). */
function small(stopMs: number) {
  const description = normalizeDescription({
    seed: 1,
    populations: [population('E', 'LIF', 10, lif)],
    generators: [{ name: 'p', model: 'PoissonGenerator', size: 10, params: { rate: 1000, stop: stopMs } }],
    projections: [{ name: 'p_E', pre: 'p', post: 'E', conn: { One2One: {} }, weight: 1, delay_step: 1 }],
  });
  return new PartitionEngine(description, wholeNetwork(description));
}

function piecesUntilDone(engine: PartitionEngine): number {
  let pieces = 0;
  while (engine.drawAhead()) pieces++;
  return pieces;
}

test('drawing ahead stops when the bank is full, and at the end of the generator window', (t) => {
  const long = small(1000);
  t.is(piecesUntilDone(long), new PoissonBank(10).steps);
  // Each step emitted frees one step of the bank.
  long.advance(0, 1);
  long.advance(1, 1);
  t.is(piecesUntilDone(long), 2);

  // Active in steps 0–19 only.
  const short = small(2);
  t.is(piecesUntilDone(short), 20);
  short.advance(0, 1);
  t.is(piecesUntilDone(short), 0);
});

test('a waiter works through its idle work until what it waits for happens, and not after an abort', (t) => {
  const control = new Int32Array(new SharedArrayBuffer(16));
  let calls = 0;
  waitForChange(control, 0, 0, 2, 10, () => {
    if (++calls === 5) Atomics.store(control, 0, 1);
    return true;
  });
  t.is(calls, 5);

  // Idle work that runs out: the waiter goes on waiting the usual way (here the slot changed as
  // the work ran out; the spin sees it).
  let left = 3;
  waitForChange(control, 0, 1, 2, 10, () => {
    if (--left > 0) return true;
    Atomics.store(control, 0, 2);
    return false;
  });
  t.is(left, 0);

  Atomics.store(control, 2, 1);
  let after = 0;
  t.throws(() => waitForChange(control, 0, 2, 2, 10, () => ++after > 0), { instanceOf: PeerAborted });
  t.is(after, 0);
});
