/**
 * The `spikegrid` command: `run` a model, ask a run's tables in SQL (`sql`), `plot` them.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ModelError, OutputError } from '../errors.ts';
import { spikegridVersion } from '../version.ts';
import { normalizeDescription } from '../ir/normalize.ts';
import { ArrowRecorder } from '../monitor/arrowRecorder.ts';
import type { Recorder } from '../monitor/recorder.ts';
import { prepareRunDir } from '../monitor/runFiles.ts';
import { runLocal, stepsFor } from '../run/runLocal.ts';
import { nodeRunner, threadRunner } from '../run/runners.ts';
import { readSecret, readSecretFile } from './secrets.ts';
import { parseRunArgs, traceMonitor, USAGE } from './args.ts';
import { loadModel, type CompiledModel } from './loadModel.ts';
import { ProgressBar } from './progress.ts';
import { barrierWaitRange, runManifest } from './runManifest.ts';

/** Where stderr is not a terminal (a batch job's log), a progress line this often [ms]. */
const PROGRESS_LOG_EVERY_MS = 30_000;

export interface MainOptions {
  /** The MODEL file compiled along with the CLI (`bin/compiledCli.mjs`): its path and the URL to import instead. */
  readonly model?: CompiledModel;
}

export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (['run', 'sql', 'plot'].includes(command) && rest.some((a) => a === '--help' || a === '-h')) {
      console.log(USAGE);
      return 0;
    }
    if (command === 'run') return await run(rest, options.model);
    // DuckDB and the plotting canvas take a noticeable time to load; only their commands load them.
    if (command === 'sql') return await (await import('./sqlCommand.ts')).sqlCommand(rest);
    if (command === 'plot') return await (await import('./plotCommand.ts')).plotCommand(rest);
    if (command === '--version' || command === '-v') {
      console.log(`spikegrid ${spikegridVersion} (Node.js ${process.versions.node})`);
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h') {
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    }
    throw new ModelError('INVALID_VALUE', `unknown command ${JSON.stringify(command)}\n${USAGE}`);
  } catch (error) {
    if (error instanceof ModelError) {
      console.error(`spikegrid: ${error.message}`);
      return 2;
    }
    if (error instanceof Error && (error.name === 'WorkerError' || error.name === 'NodeError')) {
      console.error(`spikegrid: ${error.message}`);
      return 3;
    }
    if (error instanceof OutputError) {
      console.error(`spikegrid: ${error.message}`);
      return 4;
    }
    throw error;
  }
}

async function run(argv: readonly string[], compiled?: CompiledModel): Promise<number> {
  const wallStart = performance.now();
  const args = parseRunArgs(argv);
  const raw = await loadModel(args.model, args.set, compiled);
  const recording = args.out !== undefined && args.record;
  const declared = (raw.monitors as unknown[] | undefined) ?? [];
  let description;
  try {
    description = normalizeDescription({
      ...raw,
      ...(args.dt !== undefined ? { dt: args.dt } : {}),
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
      ...(args.precision !== undefined ? { precision: args.precision } : {}),
      // With --out, every population's spikes, the model's own monitors and the --trace ones.
      monitors: recording
        ? [...declared, ...args.traces.map(traceMonitor), ...((raw.populations as Array<{ name: string }>) ?? []).map((p) => ({ target: p.name, attr: 'spike' }))]
        : [],
    });
  } catch (error) {
    throw blameTrace(error, declared.length, args.traces);
  }
  const steps = stepsFor(args.tMs, description.dt);
  if (steps === 0) {
    throw new ModelError('INVALID_VALUE', `--t ${args.tMs} ms is less than half a step of dt ${description.dt} ms, so the run would have no steps; give --t ≥ ${description.dt / 2}`);
  }
  const recorders: Recorder[] = [];
  if (args.out) {
    // Also where nothing is recorded: run.json must not sit beside an earlier run's spikes.
    prepareRunDir(args.out, '--out');
    if (recording) recorders.push(new ArrowRecorder(args.out));
  }
  const bar = args.progress ? new ProgressBar(process.stderr, args.tMs, description.dt, process.stderr.isTTY ? undefined : PROGRESS_LOG_EVERY_MS) : null;
  const onProgress = bar ? (done: number, total: number) => bar.update(done, total) : undefined;
  const onBuildProgress = bar ? (fraction: number) => bar.building(fraction) : undefined;
  const workers = args.workers ?? availableParallelism();
  let stats: Parameters<typeof runManifest>[1];
  try {
    stats = args.nodes
      ? await nodeRunner()(description, { steps, nodes: args.nodes, token: readSecret(args.tokenFile!, '--token-file'), tlsCa: args.tlsCa ? readSecretFile(args.tlsCa, '--tls-ca') : undefined, deadlineMs: args.deadline ? args.deadline * 1000 : undefined, recorders, onProgress, onBuildProgress })
      : workers === 1
        ? runLocal(description, { steps, recorders, onProgress, onBuildProgress })
        : await threadRunner()(description, { steps, workers, recorders, onProgress, onBuildProgress });
  } finally {
    // Also when the run fails: the error then starts a line of its own.
    bar?.done();
  }
  const written = args.out && recording && args.format === 'parquet' ? await (await import('./duckdbTables.ts')).writeParquet(args.out) : [];
  const manifest = runManifest(description, stats, (performance.now() - wallStart) / 1000);
  if (args.out) {
    const path = join(args.out, 'run.json');
    try {
      writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
    } catch (error) {
      throw new OutputError(path, error as Error, 'the rest of the run\'s output is complete');
    }
  }

  const rates = Object.entries(manifest.populations).map(([name, p]) => `${name} ${p.rate_hz.toFixed(2)} Hz`).join(', ');
  const plural = manifest.workers > 1 ? 's' : '';
  const waiting = manifest.workers > 1 ? `, waiting at barriers ${barrierWaitRange(manifest.per_worker)}` : '';
  console.log(`${manifest.t_ms} ms on ${manifest.workers} worker${plural} in ${manifest.sim_s.toFixed(2)} s (rtf ${manifest.rtf.toFixed(3)}, build ${manifest.build_s.toFixed(2)} s${waiting}), ${manifest.synapses} synapses, ${manifest.spikes} spikes`);
  console.log(`rates: ${rates}`);
  console.log(`spikes_sha256 ${manifest.spikes_sha256}`);
  if (args.out) {
    // The run began by clearing the directory of earlier runs' files: what is there now is this run's.
    const arrowFiles = ['spikes.arrow', 'traces.arrow'].map((name) => join(args.out!, name)).filter((path) => existsSync(path));
    console.log(`wrote ${[join(args.out, 'run.json'), ...arrowFiles, ...written].join(', ')}`);
  }
  return 0;
}

/** An error about the monitor of a --trace, which the user knows by the option rather than by its index. */
function blameTrace(error: unknown, first: number, traces: readonly string[]): unknown {
  const match = error instanceof ModelError ? /^Monitor #(\d+): /.exec(error.message) : null;
  const trace = match ? traces[Number(match[1]) - first] : undefined;
  if (trace === undefined) return error;
  return new ModelError((error as ModelError).code, `--trace ${trace}: ${(error as Error).message.slice(match![0].length)}`);
}
