import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeDescription, nn, ConnectRepr, MemoryRecorder, MonitorBS, MonitorConf, type NetworkDescription } from '../index.ts';
import { runThreads, WorkerError } from '../coordinator/runThreads.ts';
import { planPartitions } from '../coordinator/planPartitions.ts';
import { runLocal } from '../src/run/runLocal.ts';
import seed from '../examples/seed.ts';
import cuba from '../examples/cuba.ts';
import brunel from '../examples/brunel.ts';
import { sameMonitors } from './helpers.ts';

function describe(net: nn.SNetClass, monitors: Array<{ target: string; attr: string; slice?: [number, number] }>): NetworkDescription {
  return normalizeDescription({ ...nn.describeNetwork(new net()), seed: 11, monitors });
}

function local(description: NetworkDescription, steps: number) {
  const recorder = new MemoryRecorder();
  const stats = runLocal(description, { steps, recorders: [recorder] });
  return { stats, mon: recorder.data };
}

async function threads(description: NetworkDescription, steps: number, workers: number) {
  const recorder = new MemoryRecorder();
  const stats = await runThreads(description, { steps, workers, recorders: [recorder], batchSteps: 37 });
  return { stats, mon: recorder.data };
}

const seedNet = (() => {
  const module = new seed();
  module.setup();
  return module.network.net as nn.SNetClass;
})();

/**
 * CUBA's neurons with per-synapse delays and weights of both signs in E→E (CSR) and E→I (MAT),
 * whose delays are short, while I's synapses have long ones. Each partition sizes its input rings
 * by the delays it drew, so ring lengths differ between partitions, and between the excitatory and
 * inhibitory rings that the mixed-sign projections write into.
 */
function cubaWithDelays() {
  const neuron = { V_rest: -49, V_th: -50, V_reset: -60, tau: 20, R: 1, t_ref: 5, tau_syn_ex: 5, tau_syn_in: 10, v_init: new nn.Uniform(-60, -50) };
  return class CubaWithDelays extends nn.SNet {
    setup() {
      this.exc = new nn.ExpLIF({ name: 'E', size: 400, ...neuron });
      this.inh = new nn.ExpLIF({ name: 'I', size: 100, ...neuron });
      const short = new nn.Normal(0.5, 0.3, { min: 0.1, max: 10 });
      const long = new nn.Normal(2, 1.5, { min: 0.1, max: 10 });
      const mixed = new nn.Normal(1, 3);
      this.synapses = [
        new nn.StaticSynapse({ pre: this.exc, post: this.exc, conn: new nn.FixedProb(0.05), weight: mixed, delay: short }),
        new nn.StaticSynapse({ pre: this.exc, post: this.inh, conn: new nn.FixedProb(0.05), conn_repr: ConnectRepr.MAT, weight: mixed, delay: short }),
        new nn.StaticSynapse({ pre: this.inh, post: this.exc, conn: new nn.FixedProb(0.05), weight: -9, delay: long }),
        new nn.StaticSynapse({ pre: this.inh, post: this.inh, conn: new nn.FixedProb(0.05), weight: new nn.Normal(-9, 1), delay: long }),
      ];
    }
  };
}

const networks: Array<[string, NetworkDescription, number]> = [
  ['seed', describe(seedNet, [{ target: 'ExpLIF_0', attr: 'spike' }, { target: 'ExpLIF_1', attr: 'v' }, { target: 'ExpLIF_0', attr: 'v', slice: [3, 77] }]), 300],
  ['CUBA', describe(cuba({ n: 1000 }), [{ target: 'E', attr: 'spike' }, { target: 'I', attr: 'i_syn_in', slice: [0, 50] }]), 2000],
  ['Brunel', describe(brunel({ scale: 0.1 }), [{ target: 'E', attr: 'spike' }, { target: 'I', attr: 'spike' }, { target: 'I', attr: 'v' }]), 1500],
  ['CUBA with per-synapse delays', describe(cubaWithDelays(), [{ target: 'E', attr: 'spike' }, { target: 'I', attr: 'i_syn_in' }, { target: 'E', attr: 'i_syn_ex', slice: [0, 40] }]), 2000],
];

for (const [name, description, steps] of networks) {
  test(`${name}: spikes, traces and spikes_sha256 are bit-identical on 1, 2, 3 and 4 worker threads and in one process`, async (t) => {
    const reference = local(description, steps);
    t.true(reference.stats.spikes > 50, `${reference.stats.spikes} spikes`);
    for (const workers of [1, 2, 3, 4]) {
      const run = await threads(description, steps, workers);
      t.is(run.stats.spikes_sha256, reference.stats.spikes_sha256, `${workers} workers`);
      t.deepEqual(run.stats.population_spikes, reference.stats.population_spikes);
      t.is(run.stats.synapses, reference.stats.synapses);
      t.is(run.stats.events, reference.stats.events);
      sameMonitors(t, reference.mon, run.mon, `${workers} workers`);
    }
  });
}

test('each worker builds only its share of the synapses', async (t) => {
  const description = describe(brunel({ scale: 0.1 }), []);
  const whole = runLocal(description, { steps: 1 }).synapses;
  const run = await runThreads(description, { steps: 10, workers: 4 });
  t.is(run.per_worker.reduce((n, w) => n + w.synapses, 0), whole);
  for (const w of run.per_worker) {
    t.true(w.synapses < 0.27 * whole && w.synapses > 0.23 * whole, `worker ${w.worker}: ${w.synapses} of ${whole}`);
    t.true(w.neurons === 312 || w.neurons === 313);
  }
});

test('while a network builds, the run reports the share of its synapses built, reaching 1 before the first simulated step', async (t) => {
  const description = describe(brunel({ scale: 0.1 }), []);
  // In one process: one report per projection, each counted by the synapses it holds. Brunel's
  // two Poisson drives (One2One, 1 250 synapses) come first and are a sliver of its 157 500.
  const local: number[] = [];
  let reportsBeforeSteps = -1;
  runLocal(description, { steps: 10, onBuildProgress: (f) => local.push(f), onProgress: () => (reportsBeforeSteps = reportsBeforeSteps < 0 ? local.length : reportsBeforeSteps) });
  t.is(reportsBeforeSteps, local.length, 'every build report comes before the simulation starts');
  t.is(local.length, description.projections.length);
  t.true(local[1] > 0 && local[1] < 0.01, `after the drives: ${local[1]}`);
  // E→E holds 0.1 · 1 000 · 1 000 of the 0.1 · 1 250 · 1 250 recurrent synapses: 64 %.
  t.true(local[2] > 0.63 && local[2] < 0.66, `after E→E: ${local[2]}`);
  t.deepEqual(local, [...local].sort((a, b) => a - b));
  t.is(local.at(-1), 1);
  // On threads: the mean over the workers, from every worker's report.
  const reports: Array<{ fraction: number; stepsDone: number }> = [];
  let stepsDone = 0;
  await runThreads(description, {
    steps: 150, workers: 2,
    onProgress: (done) => (stepsDone = done),
    onBuildProgress: (fraction) => reports.push({ fraction, stepsDone }),
  });
  const fractions = reports.map((r) => r.fraction);
  t.is(fractions.length, 2 * description.projections.length);
  t.deepEqual(fractions, [...fractions].sort((a, b) => a - b));
  t.true(fractions[0] > 0 && fractions[0] < 0.01);
  t.is(fractions.at(-1), 1);
  t.true(reports.every((r) => r.stepsDone === 0), 'every build report comes before the first simulated step');
});

test('the partition plan gives every worker a balanced contiguous slice of every population', (t) => {
  const description = describe(cuba({ n: 1000 }), []);
  const plans = planPartitions(description, 3);
  t.deepEqual(plans.map((p) => p.slices.map((s) => [s.start, s.stop])), [
    [[0, 266], [0, 66]],
    [[266, 533], [66, 133]],
    [[533, 800], [133, 200]],
  ]);
});

test('a worker that throws ends the run with an error naming the worker and the step, and leaves no thread behind', async (t) => {
  const description = describe(brunel({ scale: 0.1 }), [{ target: 'E', attr: 'spike' }]);
  const started = performance.now();
  const error = await t.throwsAsync(runThreads(description, { steps: 3000, workers: 3, injectFailure: { worker: 1, step: 450, kind: 'throw' } }), { instanceOf: WorkerError });
  t.is(error?.message, 'worker 1 failed at step 450: injected failure at step 450');
  t.is(error?.worker, 1);
  t.is(error?.step, 450);
  t.true(performance.now() - started < 20000);
  // The pool is gone and the next run works.
  const again = await runThreads(description, { steps: 100, workers: 3 });
  t.is(again.steps, 100);
});

test('a worker thread that dies mid-run ends the run with an error naming it, instead of a hang', async (t) => {
  const description = describe(brunel({ scale: 0.1 }), []);
  const error = await t.throwsAsync(runThreads(description, { steps: 3000, workers: 2, injectFailure: { worker: 0, step: 600, kind: 'exit' } }), { instanceOf: WorkerError });
  t.is(error?.worker, 0);
  t.is(error?.step, 600);
  t.regex(error!.message, /^worker 0 stopped at step 600: /);
});

test('net.run with workers returns a promise of the same monitor data', async (t) => {
  const monitors = () => new MonitorBS({ monitors: [new MonitorConf('ExpLIF_0', 'spike'), new MonitorConf('ExpLIF_0', 'v')], recorder: new MemoryRecorder() });
  const net = new seed();
  const param = net.init();
  const inProcess = net.run(param, { t: 20, monitor: monitors() });
  const onThreads = await net.run(param, { t: 20, monitor: monitors(), workers: 2 });
  sameMonitors(t, inProcess, onThreads, 'seed');
  t.deepEqual(onThreads.ts, inProcess.ts);
});

test('partition threads copy what they send rather than detach it, so V8 keeps their typed-array accesses on its fast path', (t) => {
  // Detaching an ArrayBuffer (by transferring it) makes V8 check every later typed-array access
  // of that thread for it: Brunel's kernels ran ≈ 30 % slower. V8 reports the moment it happens.
  const bin = join(import.meta.dirname, '..', 'bin', 'spikegrid.mjs');
  const out = mkdtempSync(join(tmpdir(), 'spikegrid-detach-'));
  const run = spawnSync(process.execPath, ['--trace-protector-invalidation', bin, 'run', join(import.meta.dirname, '..', 'examples', 'brunel.ts'),
    '--set', 'scale=0.1', '--t', '300', '--workers', '2', '--trace', 'E.v[0:5]', '--out', out, '--no-progress'], { encoding: 'utf8' });
  t.is(run.status, 0, run.stderr);
  t.regex(run.stdout, /300 ms on 2 workers/);
  t.notRegex(run.stdout + run.stderr, /ArrayBufferDetaching/);
});
