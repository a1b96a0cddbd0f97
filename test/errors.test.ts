import test from 'ava';
import { normalizeDescription } from '../src/ir/normalize.ts';
import { ArrowRecorder, ModelError, nn, setPlatform, MemoryRecorder, MonitorBS, MonitorConf, visualization } from '../src/index.ts';
import { runLocal } from '../src/run/runLocal.ts';
import { checkNetworkFits } from '../src/run/networkFits.ts';

/** A valid description that each case below breaks in one place. */
const valid = () => ({
  populations: [{ name: 'E', model: 'ExpLIF', size: 10 }, { name: 'I', model: 'LIF', size: 5 }],
  generators: [{ name: 'P', model: 'PoissonGenerator', size: 10, params: { rate: 10 } }],
  projections: [{ name: 'syn', pre: 'E', post: 'I', conn: { FixedProb: { p: 0.1 } } }],
  monitors: [{ target: 'E', attr: 'v' }],
}) as any;

const cases: Array<[string, (d: any) => void, string, string]> = [
  ["negative size", (d) => (d.populations[0].size = -5), "INVALID_VALUE", "ExpLIF \"E\": size must be a whole number ≥ 1, got -5"],
  ["fractional size", (d) => (d.populations[0].size = 2.5), "INVALID_VALUE", "ExpLIF \"E\": size must be a whole number ≥ 1, got 2.5"],
  ["size beyond 32-bit indices", (d) => (d.populations[0].size = 3e9), "INVALID_VALUE", "ExpLIF \"E\": size must be at most 2147483647 (neuron indices are 32-bit), got 3000000000"],
  ["unknown param", (d) => (d.populations[0].params = { tau_mm: 5 }), "UNKNOWN_KEY", "ExpLIF \"E\": unknown tau_mm; known: E_L, C_m, tau_m, t_ref, V_th, V_reset, I_e, tau_syn_ex, tau_syn_in, V_rest, tau, R"],
  ["alias conflict", (d) => (d.populations[0].params = { tau: 5, tau_m: 6 }), "INVALID_VALUE", "ExpLIF \"E\": tau and tau_m are the same parameter; give one of them"],
  ["tau_m <= 0", (d) => (d.populations[0].params = { tau_m: 0 }), "INVALID_VALUE", "ExpLIF \"E\": tau_m must be > 0 ms, got 0"],
  ["V_reset >= V_th", (d) => (d.populations[0].params = { V_reset: -50, V_th: -55 }), "INVALID_VALUE", "ExpLIF \"E\": V_reset must be below V_th (-55 mV), got -50"],
  ["R and C_m", (d) => (d.populations[0].params = { R: 1, C_m: 2 }), "INVALID_VALUE", "ExpLIF \"E\": give either R or C_m, not both (C_m = tau_m / R)"],
  ["unknown model", (d) => (d.populations[0].model = 'Izhikevich'), "UNKNOWN_NAME", "Population #0: unknown neuron model \"Izhikevich\"; known: ExpLIF, LIF"],
  ["a model named as an Object property", (d) => (d.populations[0].model = 'toString'), "UNKNOWN_NAME", "Population #0: unknown neuron model \"toString\"; known: ExpLIF, LIF"],
  ["a generator model named as an Object property", (d) => (d.generators[0].model = 'constructor'), "UNKNOWN_NAME", "Generator #0: unknown generator model \"constructor\"; known: PoissonGenerator, DCGenerator, SpikeGenerator"],
  ["a name with a dot", (d) => (d.populations[0].name = 'E.x'), "INVALID_VALUE", "ExpLIF #0: name must be free of \".\", \"[\" and \"]\", which separate population, variable and neurons in E.v[0:10], got \"E.x\""],
  ["duplicate name", (d) => (d.populations[1].name = 'E'), "DUPLICATE_NAME", "LIF \"E\": the name is already taken; names must be unique"],
  ["dt 0", (d) => (d.dt = 0), "INVALID_VALUE", "Network: dt must be > 0, got 0"],
  ["seed negative", (d) => (d.seed = -1), "INVALID_VALUE", "Network: seed must be a whole number in 0..4294967295, got -1"],
  ["pre unknown", (d) => (d.projections[0].pre = 'X'), "UNKNOWN_NAME", "StaticSynapse \"syn\": pre names \"X\", which is no population or generator; known: E, I, P"],
  ["post generator", (d) => (d.projections[0].post = 'P'), "UNKNOWN_NAME", "StaticSynapse \"syn\": post names \"P\", which is a generator, and generators can only be the pre side; populations: E, I"],
  ["delay 0", (d) => (d.projections[0].delay_step = 0), "INVALID_VALUE", "StaticSynapse \"syn\": delay_step must be ≥ 1, got 0"],
  ["delay 1.5", (d) => (d.projections[0].delay_step = 1.5), "INVALID_VALUE", "StaticSynapse \"syn\": delay_step must be a whole number, got 1.5"],
  ["p 1.5", (d) => (d.projections[0].conn = { FixedProb: { p: 1.5 } }), "INVALID_VALUE", "StaticSynapse \"syn\": conn.FixedProb.p must be a probability in [0, 1], got 1.5"],
  ["weights length", (d) => (d.projections[0] = { ...d.projections[0], conn: { All2All: {} }, weight: [1, 2, 3] }), "LENGTH_MISMATCH", "StaticSynapse \"syn\": weight has 3 values but there are 50 connections"],
  ["weights for random rule", (d) => (d.projections[0].weight = [1, 2, 3]), "INVALID_VALUE", "StaticSynapse \"syn\": weight cannot be an array here: FixedProb draws its connections at random; give a scalar or a distribution"],
  ["one2one sizes", (d) => (d.projections[0].conn = { One2One: {} }), "LENGTH_MISMATCH", "StaticSynapse \"syn\": One2One needs pre and post of equal size, got 10 and 5"],
  ["indegree too big", (d) => (d.projections[0].conn = { FixedInDegree: { degree: 11, multi_conn: false } }), "INVALID_VALUE", "StaticSynapse \"syn\": conn.FixedInDegree.degree must be at most 10 (the pre size) without multi_conn, got 11"],
  ["unknown rule", (d) => (d.projections[0].conn = { FixedNumber: { n: 3 } }), "UNKNOWN_NAME", "StaticSynapse \"syn\": conn names unknown kind \"FixedNumber\"; known: One2One, All2All, FixedProb, FixedTotalNum, FixedInDegree, FixedOutDegree, CustomConn"],
  ["custom out of range", (d) => (d.projections[0].conn = { CustomConn: { pre: [0, 10], post: [1, 2] } }), "INVALID_VALUE", "StaticSynapse \"syn\": conn.CustomConn.pre[1] must be a whole number in 0..9, got 10"],
  ["custom length", (d) => (d.projections[0].conn = { CustomConn: { pre: [0, 1], post: [1] } }), "LENGTH_MISMATCH", "StaticSynapse \"syn\": conn.CustomConn.pre has 2 indices but conn.CustomConn.post has 1"],
  ["monitor unknown name", (d) => (d.monitors[0].target = 'ExpLIF_7'), "UNKNOWN_NAME", "Monitor #0: no population is named \"ExpLIF_7\"; populations: E, I"],
  ["monitor unknown attr", (d) => (d.monitors[0].attr = 'w'), "UNKNOWN_NAME", "Monitor #0: ExpLIF \"E\" has no recordable \"w\"; known: spike, v, i_syn_ex, i_syn_in"],
  ["monitor slice", (d) => (d.monitors[0].slice = [0, 11]), "INVALID_VALUE", "Monitor #0: slice[1] (stop) must be a whole number in 1..10, got 11"],
  ["normal sd negative", (d) => (d.projections[0].weight = { Normal: { mean: 1, sd: -1 } }), "INVALID_VALUE", "StaticSynapse \"syn\": weight.Normal.sd must be ≥ 0, got -1"],
  ["uniform low>high", (d) => (d.populations[0].v_init = { Uniform: { low: -50, high: -60 } }), "INVALID_VALUE", "ExpLIF \"E\": v_init.Uniform.high must be > low (-50), got -60"],
  ["rate negative", (d) => (d.generators[0].params.rate = -3), "INVALID_VALUE", "PoissonGenerator \"P\": rate must be ≥ 0 Hz, got -3"],
  ["MAT multapses", (d) => (d.projections[0] = { ...d.projections[0], conn: { FixedInDegree: { degree: 3 } }, conn_repr: 'MAT' }), "UNSUPPORTED", "StaticSynapse \"syn\": conn_repr MAT is a dense matrix and cannot hold multapses; set multi_conn: false or use CSR"],
  ["spike times length", (d) => d.generators.push({ name: 'S', model: 'SpikeGenerator', size: 2, params: { spike_times: [[1]] } }), "LENGTH_MISMATCH", "SpikeGenerator \"S\": spike_times has 1 lists but size is 2"],
  ["delay_step too long", (d) => (d.projections[0].delay_step = 70000), "INVALID_VALUE", "StaticSynapse \"syn\": delay_step must be at most 65535 steps, got 70000"],
  ["delay in ms too long", (d) => (d.projections[0].delay = { Normal: { mean: 5, sd: 1, min: 1, max: 7000 } }), "INVALID_VALUE", "StaticSynapse \"syn\": delay must be at most 6553.5 ms (65535 steps of dt 0.1 ms), got 7000"],
  ["delay and delay_step", (d) => (d.projections[0] = { ...d.projections[0], delay: 1, delay_step: 2 }), "INVALID_VALUE", "StaticSynapse \"syn\": give either delay (ms) or delay_step (steps), not both"],
  ["a variable monitored twice", (d) => d.monitors.push({ target: 'E', attr: 'v', slice: [2, 4] }), "DUPLICATE_NAME", "Monitor #1: E.v is monitored already (Monitor #0); give one monitor per population and variable, with a slice that covers the neurons you want"],
  ["no population", (d) => (d.populations = [], d.projections = [], d.monitors = []), "INVALID_VALUE", "Network: populations is empty; a network needs at least one population of neurons"],
  ["unknown top-level key", (d) => (d.neurons = []), "UNKNOWN_KEY", "Network: unknown neurons; known: version, platform, dt, seed, precision, populations, generators, projections, monitors"],
  ["an infinite value, as the API can pass it", (d) => (d.populations[0].v_init = -Infinity), "INVALID_VALUE", "ExpLIF \"E\": v_init must be a finite number, got -Infinity"],
  ["an infinite value in a list", (d) => (d.populations[1].v_init = [0, 0, Infinity, 0, 0]), "INVALID_VALUE", "LIF \"I\": v_init[2] must be a finite number, got Infinity"],
  ["v_init array length", (d) => (d.populations[0].v_init = [1, 2]), "LENGTH_MISMATCH", "ExpLIF \"E\": v_init has 2 values but there are 10 neurons"],
  ["normal window with almost none of the distribution", (d) => (d.populations[0].v_init = { Normal: { mean: -65, sd: 2, min: -59, max: -50 } }), "INVALID_VALUE", "ExpLIF \"E\": v_init.Normal: [min, max] = [-59, -50] holds 0.13 % of Normal(-65, 2); values outside it are drawn again, so it must hold at least 1 %: widen it or move the mean"],
];

test('the valid description passes', (t) => {
  t.notThrows(() => normalizeDescription(valid()));
});

for (const [name, breakIt, code, message] of cases) {
  test(`bad input is refused with a message naming the object and field: ${name}`, (t) => {
    const description = valid();
    breakIt(description);
    const error = t.throws(() => normalizeDescription(description), { instanceOf: ModelError });
    t.is(error?.message, message);
    t.is(error?.code as string, code);
  });
}

class Tiny extends nn.SNet {
  setup() {
    this.a = new nn.ExpLIF({ size: 3 });
    this.b = new nn.ExpLIF({ size: 3 });
    this.s = new nn.StaticSynapse({ pre: this.a, post: this.b, conn: new nn.One2One(), delay_step: 0 });
  }
}

test('errors through the API name the object by its NeurAI default name', (t) => {
  const layer = new nn.SNetLayer(Tiny);
  const error = t.throws(() => layer.build(), { instanceOf: ModelError });
  t.is(error?.message, 'StaticSynapse "StaticSynapse_0": delay_step must be ≥ 1, got 0');
});

test('a monitor of an unknown population is refused before the run', (t) => {
  class Ok extends nn.SNet {
    setup() {
      this.a = new nn.ExpLIF({ size: 3 });
    }
  }
  const monitor = new MonitorBS({ monitors: [new MonitorConf('ExpLIF_1', 'spike')] });
  const error = t.throws(() => new nn.SNetLayer(Ok).__call__({ t: 1, monitor }), { instanceOf: ModelError });
  t.is(error?.message, 'Monitor #0: no population is named "ExpLIF_1"; populations: ExpLIF_0');
});

test('a synapse onto a generator is refused when it is created', (t) => {
  const error = t.throws(() => new nn.StaticSynapse({ pre: new nn.ExpLIF(), post: new nn.PoissonGenerator({ rate: 5 }) as never }), { instanceOf: ModelError });
  t.is(error?.message, 'StaticSynapse: post must be a neuron population (generators can only be pre), got a PoissonGenerator');
  // As when setup() names an attribute it has not assigned yet.
  const unset = t.throws(() => new nn.StaticSynapse({ pre: new nn.ExpLIF(), post: undefined as never }), { instanceOf: ModelError });
  t.is(unset?.message, 'StaticSynapse: post must be a neuron population (generators can only be pre), got nothing');
});

test('a network class without setup() is refused, naming it', (t) => {
  class NoSetup extends (nn.SNet as unknown as new () => object) {}
  const error = t.throws(() => new nn.SNetLayer(NoSetup as never).build(), { instanceOf: ModelError });
  t.is(error?.message, 'NoSetup: a network needs a setup() method that creates its populations, generators and synapses');
});

test('asking for a platform this build cannot run is an error at run time, never a silent fallback', (t) => {
  class Ok extends nn.SNet {
    setup() {
      this.a = new nn.ExpLIF({ size: 3 });
    }
  }
  setPlatform('gpu');
  try {
    const layer = new nn.SNetLayer(Ok);
    const error = t.throws(() => layer.__call__({ t: 1 }), { instanceOf: ModelError });
    t.is(error?.code, 'UNSUPPORTED');
    t.is(error?.message, "setPlatform('gpu'): the GPU device (TensorFlow.js) is not available in this build; use setPlatform('cpu')");
  } finally {
    setPlatform('cpu');
  }
});

test('a negative run time is refused', (t) => {
  class Ok extends nn.SNet {
    setup() {
      this.a = new nn.ExpLIF({ size: 3 });
    }
  }
  const error = t.throws(() => new nn.SNetLayer(Ok).__call__({ t: -1 }), { instanceOf: ModelError });
  t.is(error?.message, 'run: t must be a duration in ms ≥ 0, got -1');
  const notANumber = t.throws(() => new nn.SNetLayer(Ok).__call__({ t: Number.NaN }), { instanceOf: ModelError });
  t.is(notANumber?.message, 'run: t must be a duration in ms ≥ 0, got NaN');
  const bigint = t.throws(() => new nn.SNetLayer(Ok).__call__({ t: 10n as unknown as number }), { instanceOf: ModelError });
  t.is(bigint?.message, 'run: t must be a duration in ms ≥ 0, got 10n');
});

test('the API refuses arguments of the wrong kind where they are given, naming the class and the argument', (t) => {
  const a = new nn.ExpLIF({ size: 3 });
  const calls: Array<[() => unknown, string]> = [
    // A size given on its own would otherwise be dropped for the default size, 1.
    [() => new nn.ExpLIF(5 as any), 'ExpLIF: options must be an object, got 5'],
    [() => new nn.LIF(null as any), 'LIF: options must be an object, got null'],
    [() => new nn.PoissonGenerator('fast' as any), 'PoissonGenerator: options must be an object, got "fast"'],
    [() => new nn.SpikeGenerator(undefined as any), 'SpikeGenerator: options must be an object, got nothing'],
    [() => new nn.StaticSynapse(null as any), 'StaticSynapse: options must be an object, got null'],
    [() => new nn.StaticSynapse(a, a, 2 as any), 'StaticSynapse: options must be an object, got 2'],
    [() => new nn.CustomConn(undefined as any), 'CustomConn: options must be an object, got nothing'],
    [() => new nn.CustomConn({ pre_ids: 3, post_ids: [0] } as any), 'CustomConn: pre_ids must be an array of neuron indices, got 3'],
    [() => new MonitorBS(null as any), 'MonitorBS: options must be an object, got null'],
    [() => new nn.SNetLayer(5 as any), 'SNetLayer: net must be a class that extends nn.SNet, got 5'],
    [() => new ArrowRecorder(undefined as any), 'ArrowRecorder: dir must be a folder path, got nothing'],
    [() => new ArrowRecorder('out', { batchRows: 0 }), 'ArrowRecorder: batchRows must be a whole number ≥ 1, got 0'],
    [() => visualization.raster_plot(new Float64Array(2), [[0, 1]] as any), 'raster_plot: spikes must be a spike matrix, as mon["<name>.spike"], got [[0,1]]'],
    [() => visualization.line_plot(undefined as any, [1, 2]), 'line_plot: ts must be an array of times, as mon.ts, got nothing'],
    [() => visualization.line_plot([0, 1], [[1, 2], 'ab'] as any), 'line_plot: values[1] must be an array of numbers, as a column of mon["<name>.v"], got "ab"'],
    // A matrix where a column goes is named by its class, not written out.
    [() => visualization.line_plot([0, 1], new Map() as any), 'line_plot: values must be an array of numbers, as a column of mon["<name>.v"], got a Map'],
    [() => setPlatform(undefined as any), "setPlatform: platform must be 'cpu', 'gpu' or 'apu', got nothing"],
  ];
  for (const [call, message] of calls) {
    const error = t.throws(call, { instanceOf: ModelError });
    t.is(error?.message, message);
  }
});

test('a worker count that is not a whole number ≥ 1 is refused before any thread starts', (t) => {
  class Ok extends nn.SNet {
    setup() {
      this.a = new nn.ExpLIF({ size: 3 });
    }
  }
  for (const workers of [0, 1.5, -2]) {
    const error = t.throws(() => new nn.SNetLayer(Ok).__call__({ t: 1, workers }), { instanceOf: ModelError });
    t.is(error?.message, `run: workers must be a whole number ≥ 1, got ${workers}`);
  }
});

test('MemoryRecorder refuses, before the network is built, traces that one array or the memory cannot hold', (t) => {
  const traced = (size: number) => normalizeDescription({
    populations: [{ name: 'E', model: 'LIF', size }],
    projections: [{ name: 'rec', pre: 'E', post: 'E', conn: { FixedProb: { p: 0.001 } }, weight: 0.1 }],
    monitors: [{ target: 'E', attr: 'v' }],
  });
  const advice = 'monitor fewer neurons (a slice) or a shorter run, or record to files (ArrowRecorder, `spikegrid run --out`)';
  let built = false;
  const onBuildProgress = () => (built = true);
  const tooLong = t.throws(() => runLocal(traced(100_000), { steps: 50_000, recorders: [new MemoryRecorder()], onBuildProgress }), { instanceOf: ModelError });
  t.is(tooLong.message, `MemoryRecorder: E.v would hold 5000000000 values (100000 neurons × 50000 steps), more than one array can (4294967296); ${advice}`);
  const real = process.constrainedMemory;
  try {
    process.constrainedMemory = () => 2 ** 30;
    const tooBig = t.throws(() => runLocal(traced(10_000), { steps: 20_000, recorders: [new MemoryRecorder()], onBuildProgress }), { instanceOf: ModelError });
    t.is(tooBig.message, 'the run needs ≈ 1.5 GiB on this machine (1 worker, ≈ 100000 synapses and 10000 neurons each; 1.5 GiB of it traces kept in memory), '
      + `more than the 922 MiB it can give it (90 % of 1.0 GiB); most of it the traces: ${advice}`);
  } finally {
    process.constrainedMemory = real;
  }
  t.false(built, 'nothing was built');
});

test('traces kept in memory count with the network: two parts that each fit but not together are refused before the build', (t) => {
  // 10⁸ synapses (≈ 390 MiB while they are built) and 8 000 steps of 10 000 voltages (610 MiB).
  const description = normalizeDescription({
    populations: [{ name: 'E', model: 'LIF', size: 10_000 }],
    projections: [{ name: 'rec', pre: 'E', post: 'E', conn: { FixedProb: { p: 1 } }, weight: 0.1 }],
    monitors: [{ target: 'E', attr: 'v' }],
  });
  const memory = 2 ** 30;
  t.notThrows(() => checkNetworkFits(description, 1, 1, { memory }));
  const traces = new MemoryRecorder().memoryNeeded({ description, steps: 8000 });
  t.is(traces, 8 * 8000 * 10_000);
  t.true(traces < 0.9 * memory);
  const real = process.constrainedMemory;
  let built = false;
  try {
    process.constrainedMemory = () => memory;
    const error = t.throws(() => runLocal(description, { steps: 8000, recorders: [new MemoryRecorder()], onBuildProgress: () => (built = true) }), { instanceOf: ModelError });
    t.regex(error.message, /^the run needs ≈ 1003 MiB on this machine \(1 worker, ≈ 100 M synapses and 10000 neurons each; 610 MiB of it traces kept in memory\), more than the 922 MiB/);
  } finally {
    process.constrainedMemory = real;
  }
  t.false(built, 'nothing was built');
});

test('a program that calls a runner directly gets its options checked before anything starts', async (t) => {
  const description = normalizeDescription({ populations: [{ name: 'a', model: 'LIF', size: 10 }] });
  const { runNodes, runThreads, startNode } = await import('../index.ts');
  // Without steps, a run on threads used to wait forever for monitor data.
  t.is(t.throws(() => runLocal(description, {} as never), { instanceOf: ModelError })?.message, 'runLocal: steps must be a whole number in 0..2147483647, got nothing');
  const rejections: Array<[Promise<unknown>, string]> = [
    [runThreads(description, {} as never), 'runThreads: steps must be a whole number in 0..2147483647, got nothing'],
    [runThreads(description, { steps: 10, workers: 0 }), 'runThreads: workers must be a whole number ≥ 1, got 0'],
    [runNodes(description, { steps: 10, nodes: [], token: 'x' }), 'runNodes: nodes must be a list of at least one HOST:PORT, got []'],
    [runNodes(description, { steps: 10, nodes: ['127.0.0.1:1'], token: '' }), 'runNodes: token must be the cluster\'s token, got ""'],
    [runNodes(description, { steps: 10, nodes: ['127.0.0.1:1'], token: 'x', deadlineMs: 0 }), 'runNodes: deadlineMs must be > 0, got 0'],
    [startNode({ listen: 'x', token: 'x' }), 'startNode: listen "x" is not HOST:PORT with a port from 0 (any free port) to 65535, e.g. 127.0.0.1:7070'],
    [startNode({ listen: '127.0.0.1:0', token: 'x', threads: 0 }), 'startNode: threads must be a whole number ≥ 1, got 0'],
  ];
  for (const [promise, message] of rejections) {
    const error = await t.throwsAsync(promise, { instanceOf: ModelError });
    t.is(error?.message, message);
  }
});
