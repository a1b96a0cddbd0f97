import test from 'ava';
import { ModelError, nn, normalizeDescription } from '../index.ts';
import { totalmem } from 'node:os';
import { checkNetworkFits } from '../src/run/networkFits.ts';
import { machineMemory } from '../src/machineMemory.ts';
import pd14 from '../examples/pd14.ts';

const GiB = 2 ** 30;

function allToAll(n: number) {
  return normalizeDescription({
    populations: [{ name: 'a', model: 'LIF', size: n }, { name: 'b', model: 'LIF', size: n }],
    projections: [{ name: 'p', pre: 'a', post: 'b', conn: { All2All: {} }, weight: 1 }],
  });
}

test('a projection whose share on one worker is longer than a typed array can be is refused, naming it', (t) => {
  const description = allToAll(100_000);
  for (const workers of [1, 2]) {
    const error = t.throws(() => checkNetworkFits(description, workers, workers, { memory: 1024 * GiB }), { instanceOf: ModelError });
    t.is(error.message, `StaticSynapse "p": a worker would hold ${10_000_000_000 / workers} of its synapses, more than one table can (4294967295); `
      + 'spread the network over more workers (--workers, --nodes) or give it fewer synapses');
  }
  // Over four workers each holds 2.5·10⁹: a table can, and 4 × 25 GB fit in 1 TiB.
  t.notThrows(() => checkNetworkFits(description, 4, 4, { memory: 1024 * GiB }));
  // Workers elsewhere (worker nodes) are not counted against this machine; traces kept here are.
  t.notThrows(() => checkNetworkFits(description, 4, 0, { memory: 1 * GiB }));
  const traces = t.throws(() => checkNetworkFits(description, 4, 0, { recorded: 2 * GiB, memory: 1 * GiB }), { instanceOf: ModelError });
  t.regex(traces.message, /^the run needs ≈ 2\.0 GiB on this machine \(2\.0 GiB of it traces kept in memory\), more than the 922 MiB it can give it \(90 % of 1\.0 GiB\); most of it the traces: /);
});

test('the memory estimate of the full-scale microcircuit on two workers is close to its measured peak, and more than a small machine holds', (t) => {
  const description = normalizeDescription(nn.describeNetwork(new (pd14({ scale: 1 }))()));
  t.notThrows(() => checkNetworkFits(description, 2, 2, { memory: 24 * GiB }));
  const error = t.throws(() => checkNetworkFits(description, 2, 2, { memory: 2 * GiB }), { instanceOf: ModelError });
  // The bench measured a peak of 4.0–4.6 GiB for this run (bench/README.md): the tables, the copy of
  // the largest group of them that share their arrays (or, once built, of the records its rows
  // become for delivery in arrival order), and Node itself.
  t.regex(error.message, /^the network needs ≈ 4\.5 GiB on this machine \(2 workers, ≈ 149 M synapses and 38587 neurons each\), more than the 1\.8 GiB it can give it \(90 % of 2\.0 GiB\)/);
});

test('a rule whose connections are sorted into their table is counted with its list and the values drawn in the list’s order', (t) => {
  const description = normalizeDescription({
    populations: [{ name: 'a', model: 'LIF', size: 2000 }, { name: 'b', model: 'LIF', size: 2000 }],
    projections: [{
      name: 'p', pre: 'a', post: 'b', conn: { FixedTotalNum: { num: 100_000_000, multi_conn: true } },
      weight: { Normal: { mean: 1, sd: 0.1 } }, delay: { Normal: { mean: 1.5, sd: 0.5, min: 0.1, max: 3 } },
    }],
  });
  // Per synapse, the table's 16-bit target, weight and delay (12 bytes) and, while it is built, the
  // list's source and target (8) and the weight and delay drawn in the list's order (10). Run for
  // one step, this network peaked at 2.85 GiB (maximum resident set).
  const error = t.throws(() => checkNetworkFits(description, 1, 1, { memory: 3 * GiB }), { instanceOf: ModelError });
  t.regex(error.message, /^the network needs ≈ 2\.8 GiB on this machine \(1 worker, ≈ 100 M synapses and 4000 neurons each\)/);
  t.notThrows(() => checkNetworkFits(description, 1, 1, { memory: 4 * GiB }));
});

test('FixedProb, drawn straight into its table, is counted with a second copy of its targets rather than a connection list', (t) => {
  const description = normalizeDescription({
    populations: [{ name: 'a', model: 'LIF', size: 10_000 }, { name: 'b', model: 'LIF', size: 10_000 }],
    projections: [{ name: 'p', pre: 'a', post: 'b', conn: { FixedProb: { p: 1 } }, weight: 1 }],
  });
  // 10⁸ synapses with 16-bit targets (200 MB), their row starts, the copy trimmed to size (200 MB),
  // and the worker's own 11 MiB.
  const error = t.throws(() => checkNetworkFits(description, 1, 1, { memory: 0.25 * GiB }), { instanceOf: ModelError });
  t.regex(error.message, /^the network needs ≈ 393 MiB on this machine \(1 worker, ≈ 100 M synapses and 20000 neurons each\)/);
});

test('a network of many neurons and no synapses is refused before its neurons are made', (t) => {
  const description = normalizeDescription({ populations: [{ name: 'a', model: 'LIF', size: 2_000_000_000 }], projections: [] });
  // v, the generator current, the initial V and one ring slot (8 bytes each), and the refractory count: 36 bytes a neuron.
  const error = t.throws(() => checkNetworkFits(description, 1, 1, { memory: 24 * GiB }), { instanceOf: ModelError });
  t.is(error.message, "the network needs ≈ 67.1 GiB on this machine (1 worker, ≈ 0 synapses and 2000 M neurons each), "
    + 'more than the 21.6 GiB it can give it (90 % of 24.0 GiB); give it fewer neurons or synapses, or spread it over several machines (--nodes)');
  t.notThrows(() => checkNetworkFits(description, 4, 0, { memory: 24 * GiB }));
});

test('workers far beyond what a network needs are refused for the memory their threads take', (t) => {
  const description = allToAll(100);
  // Each thread takes ≈ 11 MiB of its own, whatever its share (10.7 MiB measured from 2 to 32 workers).
  const error = t.throws(() => checkNetworkFits(description, 3000, 3000, { memory: 24 * GiB }), { instanceOf: ModelError });
  t.is(error.message, 'the network needs ≈ 32.2 GiB on this machine (3000 workers, ≈ 100 synapses and 2 neurons each), '
    + "more than the 21.6 GiB it can give it (90 % of 24.0 GiB); most of it the workers' own (≈ 11 MiB each): run fewer workers");
  t.notThrows(() => checkNetworkFits(description, 64, 64, { memory: 24 * GiB }));
});

test('the memory counted is the limit of a container or batch job where it is below the machine’s', (t) => {
  const real = process.constrainedMemory;
  try {
    process.constrainedMemory = () => 2 * GiB;
    t.is(machineMemory(), 2 * GiB);
    // No limit: cgroups report a huge number, or Node nothing.
    process.constrainedMemory = () => 2 ** 64;
    t.is(machineMemory(), totalmem());
    process.constrainedMemory = (() => undefined) as unknown as typeof process.constrainedMemory;
    t.is(machineMemory(), totalmem());
  } finally {
    process.constrainedMemory = real;
  }
});
