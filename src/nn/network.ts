/**
 * Networks as NeurAI writes them: an `SNet` subclass whose `setup()` assigns populations, generators
 * and synapses as attributes; an `SNetLayer` that builds and runs it; an `nn.Module` that holds the
 * layer. Behind them the network becomes a plain description (`describeNetwork`), checked once, and
 * runs on the engine.
 */
import { ModelError } from '../errors.ts';
import type { NetworkDescription, Precision } from '../ir/description.ts';
import { fail, requireInteger, requireRecord, show } from '../ir/checks.ts';
import { normalizeDescription } from '../ir/normalize.ts';
import type { MemoryRecorder } from '../monitor/memoryRecorder.ts';
import type { MonitorResults } from '../monitor/results.ts';
import { runLocal, stepsFor, type RunStats } from '../run/runLocal.ts';
import { threadRunner } from '../run/runners.ts';
import { Generator } from './generators.ts';
import type { MonitorBS } from './monitors.ts';
import { NetworkObject } from './networkObject.ts';
import { NeuronGroup } from './neurons.ts';
import { currentPlatform } from './platform.ts';
import { StaticSynapse } from './synapses.ts';

/** Settings written into the description: time step [ms], seed and precision of synaptic input. */
export interface BuildOptions {
  dt?: number;
  seed?: number;
  precision?: Precision;
}

/** A network: `setup()` assigns its parts as attributes, in the order they should be built. */
export abstract class SNet {
  // Attributes are assigned in setup(), as in Python; they are found by walking the instance.
  [attribute: string]: any;
  abstract setup(): void;
}

export type SNetClass = new () => SNet;

/**
 * The description of a network, not yet checked: every population, generator and synapse that
 * `setup()` assigned (also inside arrays), named by the user or `<ClassName>_<k>`.
 */
export function describeNetwork(net: SNet, options: BuildOptions = {}): Record<string, unknown> {
  if (typeof net.setup !== 'function') {
    throw new ModelError('INVALID_VALUE', `${net.constructor.name}: a network needs a setup() method that creates its populations, generators and synapses`);
  }
  net.setup();
  const objects = collect(net).sort((a, b) => a.serial - b.serial);
  const names = new Map<NetworkObject, string>();
  const perClass = new Map<string, number>();
  for (const object of objects) {
    const k = perClass.get(object.kind) ?? 0;
    perClass.set(object.kind, k + 1);
    names.set(object, object.givenName ?? `${object.kind}_${k}`);
  }
  const nameOf = (object: NetworkObject, role: string, synapse: StaticSynapse) => {
    const name = names.get(object);
    if (name === undefined) {
      throw new ModelError('UNKNOWN_NAME', `StaticSynapse "${names.get(synapse)}": its ${role} is not an attribute of the network; assign it in setup()`);
    }
    return name;
  };
  return {
    platform: currentPlatform(),
    ...(options.dt !== undefined ? { dt: options.dt } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.precision !== undefined ? { precision: options.precision } : {}),
    populations: objects.filter((o) => o instanceof NeuronGroup).map((p) => ({
      name: names.get(p),
      model: p.kind,
      size: p.size,
      params: p.params,
      ...(p.v_init !== undefined ? { v_init: p.v_init } : {}),
    })),
    generators: objects.filter((o) => o instanceof Generator).map((g) => ({ name: names.get(g), model: g.kind, size: g.size, params: g.params })),
    projections: objects.filter((o) => o instanceof StaticSynapse).map((s) => ({
      name: names.get(s),
      model: 'StaticSynapse',
      pre: nameOf(s.pre, 'pre', s),
      post: nameOf(s.post, 'post', s),
      conn: s.conn.toJSON(),
      ...(s.conn_repr !== undefined ? { conn_repr: s.conn_repr } : {}),
      ...(s.weight !== undefined ? { weight: s.weight } : {}),
      ...(s.delay_step !== undefined ? { delay_step: s.delay_step } : {}),
      ...(s.delay !== undefined ? { delay: s.delay } : {}),
    })),
  };
}

function collect(net: SNet): Array<NeuronGroup | Generator | StaticSynapse> {
  const found = new Set<NeuronGroup | Generator | StaticSynapse>();
  const visit = (value: unknown) => {
    if (value instanceof NeuronGroup || value instanceof Generator || value instanceof StaticSynapse) found.add(value);
    else if (Array.isArray(value)) value.forEach(visit);
  };
  Object.values(net).forEach(visit);
  return [...found];
}

/** Builds an `SNet` and runs it. */
export class SNetLayer {
  private description: Record<string, unknown> | null = null;
  /** Worker threads for the next call, set by `Module.run(…, { workers })`. */
  workers: number | undefined;

  constructor(
    readonly net: SNetClass,
    readonly options: BuildOptions = {},
  ) {
    if (typeof net !== 'function') fail('SNetLayer', 'net', 'a class that extends nn.SNet', net);
    requireRecord('SNetLayer', 'options', options);
  }

  /** Builds the network (once) and returns its unchecked description. */
  describe(): Record<string, unknown> {
    this.description ??= describeNetwork(new this.net(), this.options);
    return this.description;
  }

  /** The checked description, with the monitors of `monitor`. */
  build(monitor?: MonitorBS<any>): NetworkDescription {
    return normalizeDescription({ ...this.describe(), monitors: (monitor?.monitors ?? []).map((m) => m.toJSON()) });
  }

  /**
   * Runs `t` ms; returns the run's statistics and the monitor data. In this process by default;
   * with `workers` (here or through `Module.run`) on that many worker threads, and then both are
   * promises.
   */
  __call__({ t, monitor, workers = this.workers }: { input?: unknown; t: number; monitor?: MonitorBS<any>; workers?: number }):
    [RunStats, MonitorResults] | [Promise<RunStats>, Promise<MonitorResults>] {
    if (!(typeof t === 'number' && t >= 0 && Number.isFinite(t))) {
      throw new ModelError('INVALID_VALUE', `run: t must be a duration in ms ≥ 0, got ${show(t)}`);
    }
    if (workers !== undefined) requireInteger('run', 'workers', workers, 1);
    const description = this.build(monitor);
    const recorder = monitor?.recorder;
    const recorders = recorder ? [recorder] : [];
    const steps = stepsFor(t, description.dt);
    // A MemoryRecorder hands back the data; a file recorder leaves it in its files.
    const data = (): MonitorResults => (recorder && 'data' in recorder ? (recorder.data as MonitorResults) : { ts: new Float64Array(0) });
    if (workers === undefined) return [runLocal(description, { steps, recorders }), data()];
    const stats = threadRunner()(description, { steps, workers, recorders });
    return [stats, stats.then(data)];
  }
}

/** What `Module.init()` returns: the checked descriptions of the module's layers. */
export interface Params {
  readonly layers: ReadonlyMap<string, NetworkDescription>;
}

/** Holds one or more `SNetLayer`s as attributes assigned in `setup()`; `__call__` says how to run them. */
export abstract class Module {
  [attribute: string]: any;
  private isSetUp = false;

  abstract setup(): void;
  abstract __call__(input: unknown, t: number, monitor?: MonitorBS<any>): any;

  /** Builds every layer and checks its description; errors in the network surface here. */
  init(): Params {
    if (!this.isSetUp) {
      this.setup();
      this.isSetUp = true;
    }
    const layers = new Map<string, NetworkDescription>();
    for (const [name, value] of Object.entries(this)) if (value instanceof SNetLayer) layers.set(name, value.build());
    return { layers };
  }

  /**
   * Runs the module for `t` ms, recording what `monitor` asks for: in this process, or with
   * `workers` on that many worker threads — then the result is a promise (`await net.run(…)`).
   */
  run(_param: Params, { t, monitor, input, workers }: { t: number; monitor?: MonitorBS<any>; input?: unknown; workers?: number }): any {
    if (!this.isSetUp) this.init();
    const layers = Object.values(this).filter((v): v is SNetLayer => v instanceof SNetLayer);
    for (const layer of layers) layer.workers = workers;
    try {
      return this.__call__(input, t, monitor);
    } finally {
      for (const layer of layers) layer.workers = undefined;
    }
  }
}
