import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { tableFromIPC } from 'apache-arrow';
import { normalizeDescription, runLocal, nn } from '../src/index.ts';
import { barrierWaitRange } from '../src/cli/runManifest.ts';
import type { PartitionSummary } from '../src/exchange/messages.ts';

const { describeNetwork } = nn;

const bin = join(import.meta.dirname, '..', 'bin', 'spikegrid.mjs');
const examples = join(import.meta.dirname, '..', 'examples');

function spikegrid(...args: string[]) {
  // A command that hangs fails its test rather than the whole suite.
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
}

function temp(): string {
  return mkdtempSync(join(tmpdir(), 'spikegrid-cli-'));
}

test('spikegrid run writes run.json with the documented fields and a spikes.arrow that matches it', (t) => {
  const out = temp();
  const result = spikegrid('run', join(examples, 'seed.ts'), '--t', '20', '--out', out, '--seed', '5');
  t.is(result.status, 0, result.stderr);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  for (const key of ['t_ms', 'dt_ms', 'steps', 'seed', 'precision', 'workers', 'build_s', 'sim_s', 'wall_s', 'rtf', 'synapses', 'events', 'spikes', 'spikes_sha256', 'populations']) {
    t.true(key in run, key);
  }
  t.like(run, { t_ms: 20, dt_ms: 0.1, steps: 200, seed: 5, precision: 'double', workers: availableParallelism(), synapses: 280 });
  t.regex(run.spikes_sha256, /^[0-9a-f]{64}$/);
  t.regex(run.description_sha256, /^[0-9a-f]{64}$/);
  const version = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version;
  t.like(run, { spikegrid_version: version, node_version: process.versions.node });
  t.is(spikegrid('--version').stdout, `spikegrid ${version} (Node.js ${process.versions.node})\n`);
  const help = spikegrid('run', '--help');
  t.is(help.status, 0);
  t.regex(help.stdout, /^usage: spikegrid run MODEL --t MS/);
  const workerHelp = spikegrid('worker', '--help');
  t.is(workerHelp.status, 0);
  t.regex(workerHelp.stdout, /^usage: spikegrid worker --listen HOST:PORT/);
  t.is(run.populations.ExpLIF_0.size, 100);
  t.is(run.populations.ExpLIF_0.spikes + run.populations.ExpLIF_1.spikes, run.spikes);
  t.is(run.populations.ExpLIF_0.rate_hz, run.populations.ExpLIF_0.spikes / 100 / 0.02);
  const table = tableFromIPC(readFileSync(join(out, 'spikes.arrow')));
  t.deepEqual(table.schema.fields.map((f) => f.name), ['step', 'time_ms', 'population', 'neuron']);
  t.is(table.numRows, run.spikes);
  t.regex(result.stdout, /spikes_sha256 [0-9a-f]{64}/);
});

test('the same model and seed give the same spikes_sha256 from the CLI and from the API, with --set sizes', async (t) => {
  const a = temp();
  const b = temp();
  t.is(spikegrid('run', join(examples, 'cuba.ts'), '--t', '50', '--set', 'n=400', '--out', a, '--no-record').status, 0);
  t.is(spikegrid('run', join(examples, 'cuba.ts'), '--t', '50', '--set', 'n=400', '--out', b, '--no-record').status, 0);
  const runA = JSON.parse(readFileSync(join(a, 'run.json'), 'utf8'));
  const runB = JSON.parse(readFileSync(join(b, 'run.json'), 'utf8'));
  t.is(runA.spikes_sha256, runB.spikes_sha256);
  t.is(runA.populations.E.size, 320);
  t.is(runA.populations.I.size, 80);
  const { default: cuba } = await import('../examples/cuba.ts');
  const description = normalizeDescription(describeNetwork(new (cuba({ n: 400 }))()));
  t.is(runLocal(description, { steps: 500 }).spikes_sha256, runA.spikes_sha256);
});

test('a JSON description runs like a model module', (t) => {
  const dir = temp();
  const description = {
    dt: 0.1,
    seed: 1,
    populations: [{ name: 'n', model: 'LIF', size: 2, params: { E_L: 0, V_th: 20, V_reset: 0, C_m: 1, tau_m: 20, I_e: 1.5 } }],
  };
  writeFileSync(join(dir, 'net.json'), JSON.stringify(description));
  const result = spikegrid('run', join(dir, 'net.json'), '--t', '100', '--out', dir);
  t.is(result.status, 0, result.stderr);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  // R·I = 30 mV: first spike at 20·ln 3 ≈ 21.97 ms, then every 2 + 21.97 ms.
  t.is(run.populations.n.spikes, 2 * 4);
});

test('populations named like Object properties are listed in run.json and plotted like any other', (t) => {
  const dir = temp();
  const neurons = { model: 'LIF', params: { I_e: 400 } };
  const description = { populations: [{ name: '__proto__', size: 3, ...neurons }, { name: 'constructor', size: 2, ...neurons }] };
  writeFileSync(join(dir, 'net.json'), JSON.stringify(description));
  const result = spikegrid('run', join(dir, 'net.json'), '--t', '50', '--out', dir, '--workers', '2');
  t.is(result.status, 0, result.stderr);
  t.regex(result.stdout, /^rates: __proto__ \d+\.\d\d Hz, constructor \d+\.\d\d Hz$/m);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  t.deepEqual(Object.keys(run.populations), ['__proto__', 'constructor']);
  t.is(run.populations.__proto__.size, 3);
  t.is(run.populations.__proto__.spikes + run.populations.constructor.spikes, run.spikes);
  t.is(spikegrid('plot', dir, '--raster', '__proto__').status, 0);
});

test('a model time that is not a whole number of steps runs round(t/dt) steps and says how long that is', (t) => {
  const dir = temp();
  const description = { populations: [{ name: 'n', model: 'LIF', size: 2, params: { I_e: 400 } }] };
  writeFileSync(join(dir, 'net.json'), JSON.stringify(description));
  const result = spikegrid('run', join(dir, 'net.json'), '--t', '10', '--dt', '0.07', '--workers', '1', '--out', dir, '--no-record');
  t.is(result.status, 0, result.stderr);
  t.regex(result.stdout, /^10\.01 ms on 1 worker in /m);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  t.like(run, { t_ms: 10.01, dt_ms: 0.07, steps: 143 });
});

test('a run into the directory of an earlier one replaces its files, whatever either records', (t) => {
  const dir = temp();
  const brunelRun = (...extra: string[]) => spikegrid('run', join(examples, 'brunel.ts'), '--t', '20', '--set', 'scale=0.05', '--workers', '1', '--out', dir, ...extra);
  t.is(brunelRun('--seed', '1', '--format', 'parquet', '--trace', 'E.v[0:2]').status, 0);
  t.true(existsSync(join(dir, 'spikes.parquet')) && existsSync(join(dir, 'traces.arrow')));
  t.is(brunelRun('--seed', '2').status, 0);
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  t.false(existsSync(join(dir, 'spikes.parquet')) || existsSync(join(dir, 'traces.arrow')), 'the first run\'s Parquet and traces are gone');
  const count = spikegrid('sql', dir, 'SELECT count(*) AS n FROM spikes');
  t.is(count.status, 0, count.stderr);
  t.regex(count.stdout, new RegExp(`\\b${run.spikes}\\b`), 'sql counts the second run\'s spikes');
  const traces = spikegrid('sql', dir, 'SELECT count(*) FROM traces');
  t.is(traces.status, 2);
  t.true(traces.stderr.includes(`${dir} holds no traces: record them with spikegrid run … --out ${dir} --trace POP.VAR`), traces.stderr);
  const misnamed = spikegrid('sql', dir, 'SELECT count(*) FROM spike');
  t.is(misnamed.status, 2);
  t.true(misnamed.stderr.trimEnd().endsWith(`${dir}'s tables: spikes`), misnamed.stderr);
  t.is(brunelRun('--seed', '3', '--no-record').status, 0);
  t.false(existsSync(join(dir, 'spikes.arrow')), 'a run that records nothing leaves no spikes of an earlier one beside its run.json');
});

test('bad command lines fail with a message that says what to change, exit code 2', (t) => {
  const aFile = join(temp(), 'a-file');
  writeFileSync(aFile, '');
  const anArray = join(temp(), 'array.json');
  writeFileSync(anArray, '[1, 2]');
  const tooLarge = join(temp(), 'too-large.json');
  writeFileSync(tooLarge, JSON.stringify({
    populations: [{ name: 'a', model: 'LIF', size: 100000 }, { name: 'b', model: 'LIF', size: 100000 }],
    projections: [{ name: 'p', pre: 'a', post: 'b', conn: { All2All: {} }, weight: 1 }],
  }));
  const cases: Array<[string[], RegExp]> = [
    [['run', tooLarge, '--t', '1', '--workers', '2'], /StaticSynapse "p": a worker would hold 5000000000 of its synapses, more than one table can/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--out', temp(), '--trace', 'E.v[0:2]', '--trace', 'E.v[1:3]'], /^spikegrid: --trace E\.v\[1:3\]: E\.v is monitored already \(Monitor #0\); give one monitor per population and variable/m],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--out', temp(), '--trace', 'E.w'], /^spikegrid: --trace E\.w: ExpLIF "E" has no recordable "w"; known: spike, v, i_syn_ex, i_syn_in$/m],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--token-file', 'x'], /--token-file is for runs over worker nodes; give --nodes too, or leave it out/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--out', temp(), '--format', 'parquet', '--no-record'], /--format parquet writes the recorded spikes, and --no-record records none/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--nodes', '127.0.0.1:7070', '--token-file', 'x', '--deadline', '0'], /--deadline must be > 0 s, got 0/],
    [['run', anArray, '--t', '10'], /MODEL .*array\.json must hold a network description, a JSON object with populations, projections, …; got an array/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--out', join(aFile, 'out')], /--out .*a-file\/out: .*a-file is not a directory; give a directory that can be created/],
    // Node's own recursive mkdir never returns for a path under /proc.
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--out', '/proc/spikegrid-out'], /--out \/proc\/spikegrid-out: cannot make \/proc\/spikegrid-out \(ENOENT/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--set', 'size=3'], /--set size: this model has no parameter size; known: n, p/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--set', 'toString=3'], /--set toString: this model has no parameter toString; known: n, p/],
    [['run', join(examples, 'cuba.ts')], /--t \(model time in ms\) is missing/],
    [['run', join(examples, 'cuba.ts'), '--t', 'ten'], /--t must be a number, got "ten"/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--workers', '2', '--t', '20'], /^spikegrid: --t is given twice; give it once\n$/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--set', 'n=100', '--set', 'n=200'], /^spikegrid: --set n is given twice; give it once\n$/],
    [['run', join(examples, 'seed.ts'), '--t', '1e6', '--dt', '0.0001'], /^spikegrid: a run of 1000000 ms in steps of 0\.0001 ms would take 10000000000 steps, more than spikegrid counts \(2147483647\); run it in parts, or with a larger dt\n$/],
    [['run', join(examples, 'cuba.ts'), '--t', '0.04'], /--t 0.04 ms is less than half a step of dt 0.1 ms, so the run would have no steps; give --t ≥ 0.05/],
    [['run', join(examples, 'seed.ts'), '--t', '10', '--set', 'scale=2'], /takes no --set parameters, got scale/],
    [['run', 'nowhere.ts', '--t', '10'], /MODEL nowhere.ts does not exist/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--dt', '0'], /Network: dt must be > 0, got 0/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--precision', 'half'], /Network: precision must be one of double, single, got "half"/],
    [['launch'], /unknown command "launch"/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--workers', '0'], /--workers must be a whole number ≥ 1, got 0/],
    [['worker', '--listen', '127.0.0.1:0', '--threads', 'two', '--token-file', 'x'], /--threads must be a whole number ≥ 1, got "two"/],
    [['worker', '--listen', '127.0.0.1:0', '--threads', '2'], /--token-file is missing/],
    // An empty value (an unset shell variable) is no value, not "no output" or "no TLS".
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--out', ''], /^spikegrid: --out needs a value; usage/],
    [['worker', '--tls-cert', '', '--tls-key', '', '--token-file', 'x'], /^spikegrid worker: --tls-cert needs a value; usage/],
    [['worker', '--listen', '127.0.0.1:0', '--listen', '127.0.0.1:1', '--token-file', 'x'], /^spikegrid worker: --listen is given twice; give it once/],
    [['worker', '--listen', 'localhost', '--token-file', 'x'], /--listen "localhost" is not HOST:PORT with a port from 0 \(any free port\) to 65535/],
    [['run', join(examples, 'cuba.ts'), '--t', '10', '--nodes', '127.0.0.1:7070,127.0.0.1:99999', '--token-file', 'x'], /--nodes: "127.0.0.1:99999" is not HOST:PORT with a port from 1 to 65535/],
  ];
  for (const [args, message] of cases) {
    const result = spikegrid(...args);
    t.is(result.status, 2, args.join(' '));
    t.regex(result.stderr, message);
  }
});

test('examples/seed.ts run as a script writes its two plots', (t) => {
  const dir = temp();
  // `--import tsx` as the README writes it, resolved from the repository since the script runs elsewhere.
  execFileSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(examples, 'seed.ts')], { cwd: dir, encoding: 'utf8' });
  t.true(readFileSync(join(dir, 'ExpLIF_0.spike.png')).length > 10000);
  t.true(readFileSync(join(dir, 'ExpLIF_0.v.png')).length > 10000);
});

test('--workers runs on worker threads with the same spikes, and run.json reports each worker', (t) => {
  const one = temp();
  const two = temp();
  t.is(spikegrid('run', join(examples, 'brunel.ts'), '--t', '50', '--set', 'scale=0.1', '--workers', '1', '--out', one, '--no-record').status, 0);
  const result = spikegrid('run', join(examples, 'brunel.ts'), '--t', '50', '--set', 'scale=0.1', '--workers', '2', '--out', two, '--no-record');
  t.is(result.status, 0, result.stderr);
  const a = JSON.parse(readFileSync(join(one, 'run.json'), 'utf8'));
  const b = JSON.parse(readFileSync(join(two, 'run.json'), 'utf8'));
  t.is(b.workers, 2);
  t.is(b.spikes_sha256, a.spikes_sha256);
  t.is(b.per_worker.length, 2);
  t.is(b.per_worker[0].neurons + b.per_worker[1].neurons, 1250);
  t.is(b.per_worker[0].synapses + b.per_worker[1].synapses, a.synapses);
  for (const w of b.per_worker) for (const key of ['compute_s', 'wait_s', 'build_s', 'draw_ahead_s']) t.true(w[key] >= 0, key);
  // What each worker's computing went to: advancing, delivering, drawing ahead, and the rest to sharing spikes.
  for (const w of b.per_worker) {
    t.true(w.advance_s > 0 && w.deliver_s > 0, JSON.stringify(w));
    t.true(w.advance_s + w.deliver_s + w.draw_ahead_s <= w.compute_s + 1e-9, JSON.stringify(w));
  }
  // One worker, in this process: the same report, with no waiting and nothing to exchange.
  t.is(a.per_worker.length, 1);
  const [alone] = a.per_worker;
  t.like(alone, { worker: 0, neurons: 1250, synapses: a.synapses, wait_s: 0, draw_ahead_s: 0, native_kernels: a.native_kernels });
  t.true(alone.advance_s > 0 && alone.deliver_s > 0, JSON.stringify(alone));
  t.true(Math.abs(alone.compute_s - alone.advance_s - alone.deliver_s) < 1e-9 && alone.compute_s <= a.sim_s, JSON.stringify(alone));
  // The summary line shows how long the workers waited for each other, as run.json has it.
  const shares = b.per_worker.map((w: { wait_s: number; compute_s: number }) => Math.round((100 * w.wait_s) / (w.wait_s + w.compute_s)));
  const shown = /^50 ms on 2 workers in [\d.]+ s \(rtf [\d.]+, build [\d.]+ s, waiting at barriers (\d+)(?:–(\d+))? %\)/m.exec(result.stdout);
  t.truthy(shown, result.stdout);
  t.deepEqual([Number(shown![1]), Number(shown![2] ?? shown![1])], [Math.min(...shares), Math.max(...shares)]);
});

test('the summary line gives the range of the workers\' barrier waits, as shares of their simulation', (t) => {
  const worker = (wait_s: number, compute_s: number) => ({ wait_s, compute_s }) as PartitionSummary;
  t.is(barrierWaitRange([worker(0.1, 0.9), worker(0.3, 0.7), worker(0.25, 0.75)]), '10–30 %');
  t.is(barrierWaitRange([worker(0.07, 0.93), worker(0.0704, 0.9296)]), '7 %');
  // A run of no steps neither computes nor waits.
  t.is(barrierWaitRange([worker(0, 0), worker(0, 0)]), '0 %');
});
