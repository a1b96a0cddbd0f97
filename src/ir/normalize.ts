/**
 * Turns a network description as a user wrote it (through `nn`, or as a JSON file) into the checked,
 * canonical `NetworkDescription`: NeurAI aliases resolved to NEST names, defaults filled in, every
 * reference and number checked. It runs once, on entry; nothing invalid reaches the engine, and every
 * error names the object and the field.
 */
import { ModelError, label } from '../errors.ts';
import {
  DESCRIPTION_VERSION,
  type ConnectionRule,
  type ConnectRepr,
  type GeneratorDescription,
  type MonitorDescription,
  type NetworkDescription,
  type Platform,
  type PopulationDescription,
  type Precision,
  type ProjectionDescription,
} from './description.ts';
import { GENERATOR_MODELS, NEURON_MODELS, knownNames } from './models.ts';
import {
  fail,
  pluginEntry,
  rejectUnknownKeys,
  requireBoolean,
  requireFinite,
  requireInteger,
  requirePositive,
  requireRecord,
  requireString,
} from './checks.ts';
import { checkValueSpec } from './valueSpec.ts';
import { connectionCount } from './connectionCount.ts';
import { delayBounds } from './delayBounds.ts';

const PLATFORMS: readonly Platform[] = ['cpu', 'gpu', 'apu'];
const PRECISIONS: readonly Precision[] = ['double', 'single'];
const REPRS: readonly ConnectRepr[] = ['COO', 'CSR', 'CSC', 'MAT'];
const RULES = ['One2One', 'All2All', 'FixedProb', 'FixedTotalNum', 'FixedInDegree', 'FixedOutDegree', 'CustomConn'];
const MAX_SIZE = 2 ** 31 - 1;
/** Delays are stored as 16-bit step counts. */
export const MAX_DELAY_STEPS = 65535;

export function normalizeDescription(input: unknown): NetworkDescription {
  const where = 'Network';
  const raw = requireRecord(where, 'description', input);
  rejectUnknownKeys(where, '', raw, ['version', 'platform', 'dt', 'seed', 'precision', 'populations', 'generators', 'projections', 'monitors']);
  const version = raw.version ?? DESCRIPTION_VERSION;
  if (version !== DESCRIPTION_VERSION) fail(where, 'version', `${DESCRIPTION_VERSION}`, version);
  const platform = raw.platform ?? 'cpu';
  if (!PLATFORMS.includes(platform as Platform)) fail(where, 'platform', `one of ${PLATFORMS.join(', ')}`, platform);
  const dt = requirePositive(where, 'dt', raw.dt ?? 0.1);
  const seed = requireInteger(where, 'seed', raw.seed ?? 0, 0, 2 ** 32 - 1);
  const precision = raw.precision ?? 'double';
  if (!PRECISIONS.includes(precision as Precision)) fail(where, 'precision', `one of ${PRECISIONS.join(', ')}`, precision);

  const names = new Set<string>();
  const claim = (kind: string, name: string) => {
    if (names.has(name)) throw new ModelError('DUPLICATE_NAME', `${label(kind, name)}: the name is already taken; names must be unique`);
    names.add(name);
  };
  const populations = list(where, 'populations', raw.populations).map((p, i) => population(p, i, claim));
  // Nothing would be simulated: most likely a setup() that assigned nothing, or the wrong file.
  if (populations.length === 0) throw new ModelError('INVALID_VALUE', `${where}: populations is empty; a network needs at least one population of neurons`);
  const generators = list(where, 'generators', raw.generators ?? []).map((g, i) => generator(g, i, dt, claim));
  const context: Context = { dt, populations, generators };
  const projections = list(where, 'projections', raw.projections ?? []).map((s, i) => projection(s, i, context, claim));
  const monitors = list(where, 'monitors', raw.monitors ?? []).map((m, i) => monitor(m, i, populations));
  checkOneMonitorEach(monitors);
  return { version: DESCRIPTION_VERSION, platform: platform as Platform, dt, seed, precision: precision as Precision, populations, generators, projections, monitors };
}

interface Context {
  dt: number;
  populations: PopulationDescription[];
  generators: GeneratorDescription[];
}

function requireSize(where: string, value: unknown): number {
  const size = requireInteger(where, 'size', value, 1);
  if (size > MAX_SIZE) fail(where, 'size', `at most ${MAX_SIZE} (neuron indices are 32-bit)`, value);
  return size;
}

function list(where: string, field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) fail(where, field, 'an array', value);
  return value;
}

function objectName(kind: string, index: number, raw: Record<string, unknown>): string {
  const name = requireString(`${kind} #${index}`, 'name', raw.name);
  // They separate the parts of `E.v[0:10]` (--trace, spikegrid plot) and of the result key "E.v".
  if (/[.[\]]/.test(name)) fail(`${kind} #${index}`, 'name', 'free of ".", "[" and "]", which separate population, variable and neurons in E.v[0:10]', name);
  return name;
}

function population(input: unknown, index: number, claim: (kind: string, name: string) => void): PopulationDescription {
  const raw = requireRecord(`Population #${index}`, 'population', input);
  const model = requireString(`Population #${index}`, 'model', raw.model);
  // Own names only: `toString` is no model.
  const schema = Object.hasOwn(NEURON_MODELS, model) ? NEURON_MODELS[model] : undefined;
  if (!schema) throw new ModelError('UNKNOWN_NAME', `Population #${index}: unknown neuron model "${model}"; known: ${knownNames(NEURON_MODELS)}`);
  const name = objectName(model, index, raw);
  const where = label(model, name);
  claim(model, name);
  rejectUnknownKeys(where, '', raw, ['name', 'model', 'size', 'params', 'v_init']);
  const size = requireSize(where, raw.size);
  const given = requireRecord(where, 'params', raw.params ?? {});
  const known = [...Object.keys(schema.params), ...Object.keys(schema.aliases), 'R'];
  rejectUnknownKeys(where, '', given, known);

  const params: Record<string, number> = {};
  const givenAs: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    const canonical = schema.aliases[key] ?? key;
    if (canonical === 'R') continue;
    if (canonical in params) {
      throw new ModelError('INVALID_VALUE', `${where}: ${givenAs[canonical]} and ${key} are the same parameter; give one of them`);
    }
    params[canonical] = requireFinite(where, key, value);
    givenAs[canonical] = key;
  }
  for (const [key, spec] of Object.entries(schema.params)) {
    params[key] ??= spec.default;
    const value = params[key];
    if (spec.check === 'positive' && !(value > 0)) fail(where, key, `> 0 ${spec.unit}`, value);
    if (spec.check === 'nonnegative' && !(value >= 0)) fail(where, key, `≥ 0 ${spec.unit}`, value);
  }
  if (given.R !== undefined) {
    // NeurAI's membrane resistance: C_m = tau / R.
    if (given.C_m !== undefined) throw new ModelError('INVALID_VALUE', `${where}: give either R or C_m, not both (C_m = tau_m / R)`);
    params.C_m = params.tau_m / requirePositive(where, 'R', given.R);
  }
  if (!(params.V_reset < params.V_th)) fail(where, 'V_reset', `below V_th (${params.V_th} mV)`, params.V_reset);
  const v_init = checkValueSpec(where, 'v_init', raw.v_init ?? params.E_L, { length: size, elements: 'neurons' });
  return { name, model, size, params, v_init };
}

function generator(input: unknown, index: number, dt: number, claim: (kind: string, name: string) => void): GeneratorDescription {
  const raw = requireRecord(`Generator #${index}`, 'generator', input);
  const model = requireString(`Generator #${index}`, 'model', raw.model);
  const schema = Object.hasOwn(GENERATOR_MODELS, model) ? GENERATOR_MODELS[model] : undefined;
  if (!schema) throw new ModelError('UNKNOWN_NAME', `Generator #${index}: unknown generator model "${model}"; known: ${knownNames(GENERATOR_MODELS)}`);
  const name = objectName(model, index, raw);
  const where = label(model, name);
  claim(model, name);
  rejectUnknownKeys(where, '', raw, ['name', 'model', 'size', 'params']);
  const size = requireSize(where, raw.size);
  const given = requireRecord(where, 'params', raw.params ?? {});
  rejectUnknownKeys(where, '', given, [...Object.keys(schema.params), ...schema.lists]);
  const params: GeneratorDescription['params'] = {};
  for (const [key, spec] of Object.entries(schema.params)) {
    const value = given[key] ?? spec.default;
    if (spec.check === 'finite') params[key] = requireFinite(where, key, value);
    else if (typeof value !== 'number' || !(spec.check === 'positive' ? value > 0 : value >= 0)) {
      fail(where, key, `${spec.check === 'positive' ? '> 0' : '≥ 0'} ${spec.unit}`, value);
    } else params[key] = value;
  }
  if ('start' in params && 'stop' in params && !((params.stop as number) > (params.start as number))) {
    fail(where, 'stop', `after start (${params.start} ms)`, params.stop);
  }
  if (model === 'SpikeGenerator') params.spike_times = spikeTimes(where, given.spike_times, size, dt);
  return { name, model, size, params };
}

/** One list of spike times [ms] per output; a flat list is accepted when size is 1. */
function spikeTimes(where: string, value: unknown, size: number, dt: number): number[][] {
  if (!Array.isArray(value)) fail(where, 'spike_times', `an array of ${size} lists of times in ms`, value);
  const lists = size === 1 && value.every((v) => typeof v === 'number') ? [value] : value;
  if (lists.length !== size) {
    throw new ModelError('LENGTH_MISMATCH', `${where}: spike_times has ${lists.length} lists but size is ${size}`);
  }
  return lists.map((times: unknown, i: number) => {
    if (!Array.isArray(times)) fail(where, `spike_times[${i}]`, 'an array of times in ms', times);
    let previous = 0;
    return times.map((t: unknown, k: number) => {
      const field = `spike_times[${i}][${k}]`;
      // A spike stamped t leaves at the step that ends at t, so the earliest is one dt.
      const time = requireFinite(where, field, t);
      if (time < dt - 1e-9) fail(where, field, `≥ dt (${dt} ms)`, time);
      if (time < previous) fail(where, field, 'in increasing order', time);
      previous = time;
      return time;
    });
  });
}

function projection(input: unknown, index: number, context: Context, claim: (kind: string, name: string) => void): ProjectionDescription {
  const raw = requireRecord(`Projection #${index}`, 'projection', input);
  const model = raw.model ?? 'StaticSynapse';
  if (model !== 'StaticSynapse') throw new ModelError('UNKNOWN_NAME', `Projection #${index}: unknown synapse model ${JSON.stringify(model)}; known: StaticSynapse`);
  const name = objectName(model, index, raw);
  const where = label(model, name);
  claim(model, name);
  rejectUnknownKeys(where, '', raw, ['name', 'model', 'pre', 'post', 'conn', 'conn_repr', 'weight', 'delay_step', 'delay']);
  const pre = requireString(where, 'pre', raw.pre);
  const post = requireString(where, 'post', raw.post);
  const source = context.populations.find((p) => p.name === pre) ?? context.generators.find((g) => g.name === pre);
  if (!source) throw new ModelError('UNKNOWN_NAME', `${where}: pre names "${pre}", which is no population or generator; known: ${allNames(context)}`);
  const target = context.populations.find((p) => p.name === post);
  if (!target) {
    const isGenerator = context.generators.some((g) => g.name === post);
    const why = isGenerator ? 'a generator, and generators can only be the pre side' : 'no population';
    throw new ModelError('UNKNOWN_NAME', `${where}: post names "${post}", which is ${why}; populations: ${context.populations.map((p) => p.name).join(', ')}`);
  }
  const conn = connectionRule(where, raw.conn ?? { All2All: {} }, source.size, target.size);
  const conn_repr = (raw.conn_repr ?? 'CSR') as ConnectRepr;
  if (!REPRS.includes(conn_repr)) fail(where, 'conn_repr', `one of ${REPRS.join(', ')}`, raw.conn_repr);
  if (conn_repr === 'MAT' && allowsMultapses(conn)) {
    throw new ModelError('UNSUPPORTED', `${where}: conn_repr MAT is a dense matrix and cannot hold multapses; set multi_conn: false or use CSR`);
  }
  const count = connectionCount(conn, source.size, target.size, pre === post);
  const length = typeof count === 'number' ? count : { reason: `${Object.keys(conn)[0]} draws its connections at random; give a scalar or a distribution` };
  const weight = checkValueSpec(where, 'weight', raw.weight ?? 1, { length, elements: 'connections' });
  if (raw.delay !== undefined && raw.delay_step !== undefined) {
    throw new ModelError('INVALID_VALUE', `${where}: give either delay (ms) or delay_step (steps), not both`);
  }
  const inMs = raw.delay !== undefined;
  const delay_step = inMs ? delayFromMs(where, raw.delay, context.dt, length) : checkValueSpec(where, 'delay_step', raw.delay_step ?? 1, { length, elements: 'connections', min: 1, integer: true });
  checkMaxDelay(where, delay_step, inMs ? context.dt : null);
  return { name, model, pre, post, conn, conn_repr, weight, delay_step };
}

function allNames(context: Context): string {
  return [...context.populations, ...context.generators].map((o) => o.name).join(', ');
}

/** `delay` in ms becomes whole steps, rounded to the nearest; below one step is an error. */
function delayFromMs(where: string, value: unknown, dt: number, length: number | { reason: string }) {
  const spec = checkValueSpec(where, 'delay', value, { length, elements: 'connections', min: dt });
  const steps = (ms: number) => Math.round(ms / dt);
  if (typeof spec === 'number') return steps(spec);
  if (Array.isArray(spec)) return spec.map(steps);
  if ('Uniform' in spec) return { Uniform: { low: spec.Uniform.low / dt, high: spec.Uniform.high / dt } };
  const n = spec.Normal;
  return { Normal: { mean: n.mean / dt, sd: n.sd / dt, min: n.min! / dt, ...(n.max !== undefined ? { max: n.max / dt } : {}) } };
}

/** Delays in steps (`spec`) fit a ring's 16-bit slots; `dt` where the user gave them in ms, to answer in ms. */
function checkMaxDelay(where: string, spec: ProjectionDescription['delay_step'], dt: number | null): void {
  if (typeof spec === 'object' && 'Normal' in spec && spec.Normal.max === undefined) {
    throw new ModelError('INVALID_VALUE', `${where}: a Normal delay needs max too (delays are bounded by ${MAX_DELAY_STEPS} steps)`);
  }
  const longest = delayBounds(spec)[1];
  if (longest <= MAX_DELAY_STEPS) return;
  if (dt === null) fail(where, 'delay_step', `at most ${MAX_DELAY_STEPS} steps`, longest);
  const ms = (steps: number) => Number((steps * dt).toPrecision(12));
  fail(where, 'delay', `at most ${ms(MAX_DELAY_STEPS)} ms (${MAX_DELAY_STEPS} steps of dt ${dt} ms)`, ms(longest));
}

function allowsMultapses(conn: ConnectionRule): boolean {
  const options = Object.values(conn)[0] as { multi_conn?: boolean };
  return ('FixedTotalNum' in conn || 'FixedInDegree' in conn || 'FixedOutDegree' in conn) && options.multi_conn !== false
    ? true
    : 'CustomConn' in conn && hasDuplicatePairs(conn.CustomConn.pre, conn.CustomConn.post);
}

function hasDuplicatePairs(pre: number[], post: number[]): boolean {
  const seen = new Set<string>();
  for (let i = 0; i < pre.length; i++) {
    const key = `${pre[i]},${post[i]}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

function connectionRule(where: string, value: unknown, nPre: number, nPost: number): ConnectionRule {
  const [kind, options] = pluginEntry(where, 'conn', value, RULES);
  const field = (key: string) => `conn.${kind}.${key}`;
  const multi = (fallback: boolean) => (options.multi_conn === undefined ? fallback : requireBoolean(where, field('multi_conn'), options.multi_conn));
  switch (kind) {
    case 'One2One':
      rejectUnknownKeys(where, `conn.${kind}`, options, []);
      if (nPre !== nPost) throw new ModelError('LENGTH_MISMATCH', `${where}: One2One needs pre and post of equal size, got ${nPre} and ${nPost}`);
      return { One2One: {} };
    case 'All2All': {
      rejectUnknownKeys(where, `conn.${kind}`, options, ['allow_self']);
      return { All2All: { allow_self: options.allow_self === undefined ? true : requireBoolean(where, field('allow_self'), options.allow_self) } };
    }
    case 'FixedProb': {
      rejectUnknownKeys(where, `conn.${kind}`, options, ['p', 'allow_self']);
      const p = options.p;
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail(where, field('p'), 'a probability in [0, 1]', p);
      return { FixedProb: { p, allow_self: options.allow_self === undefined ? true : requireBoolean(where, field('allow_self'), options.allow_self) } };
    }
    case 'FixedTotalNum': {
      rejectUnknownKeys(where, `conn.${kind}`, options, ['num', 'multi_conn']);
      const num = requireInteger(where, field('num'), options.num, 0, 2 ** 32 - 1);
      const multi_conn = multi(true);
      if (!multi_conn && num > nPre * nPost) fail(where, field('num'), `at most ${nPre * nPost} (all pairs) without multi_conn`, num);
      return { FixedTotalNum: { num, multi_conn } };
    }
    case 'FixedInDegree':
    case 'FixedOutDegree': {
      rejectUnknownKeys(where, `conn.${kind}`, options, ['degree', 'multi_conn']);
      const degree = requireInteger(where, field('degree'), options.degree, 0, 2 ** 31 - 1);
      const multi_conn = multi(true);
      const pool = kind === 'FixedInDegree' ? nPre : nPost;
      if (!multi_conn && degree > pool) {
        fail(where, field('degree'), `at most ${pool} (the ${kind === 'FixedInDegree' ? 'pre' : 'post'} size) without multi_conn`, degree);
      }
      return kind === 'FixedInDegree' ? { FixedInDegree: { degree, multi_conn } } : { FixedOutDegree: { degree, multi_conn } };
    }
    default: {
      rejectUnknownKeys(where, `conn.${kind}`, options, ['pre', 'post']);
      const pre = indexList(where, field('pre'), options.pre, nPre);
      const post = indexList(where, field('post'), options.post, nPost);
      if (pre.length !== post.length) {
        throw new ModelError('LENGTH_MISMATCH', `${where}: conn.CustomConn.pre has ${pre.length} indices but conn.CustomConn.post has ${post.length}`);
      }
      return { CustomConn: { pre, post } };
    }
  }
}

function indexList(where: string, field: string, value: unknown, size: number): number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) fail(where, field, 'an array of neuron indices', value);
  const values = Array.from(value as ArrayLike<number>);
  values.forEach((v, i) => requireInteger(where, `${field}[${i}]`, v, 0, size - 1));
  return values;
}

/**
 * Results are keyed by population and variable (`mon["E.v"]`, and one column set in the files), so
 * a second monitor of the same pair would be dropped or recorded twice.
 */
function checkOneMonitorEach(monitors: readonly MonitorDescription[]): void {
  const first = new Map<string, number>();
  monitors.forEach(({ target, attr }, index) => {
    const key = `${target}.${attr}`;
    const earlier = first.get(key);
    if (earlier !== undefined) {
      throw new ModelError('DUPLICATE_NAME', `Monitor #${index}: ${key} is monitored already (Monitor #${earlier}); give one monitor per population and variable, with a slice that covers the neurons you want`);
    }
    first.set(key, index);
  });
}

function monitor(input: unknown, index: number, populations: PopulationDescription[]): MonitorDescription {
  const where = `Monitor #${index}`;
  const raw = requireRecord(where, 'monitor', input);
  rejectUnknownKeys(where, '', raw, ['target', 'attr', 'slice']);
  const target = requireString(where, 'target', raw.target);
  const population = populations.find((p) => p.name === target);
  if (!population) {
    throw new ModelError('UNKNOWN_NAME', `${where}: no population is named "${target}"; populations: ${populations.map((p) => p.name).join(', ')}`);
  }
  const attr = requireString(where, 'attr', raw.attr);
  const attrs = ['spike', ...NEURON_MODELS[population.model].variables];
  if (!attrs.includes(attr)) {
    throw new ModelError('UNKNOWN_NAME', `${where}: ${population.model} "${target}" has no recordable "${attr}"; known: ${attrs.join(', ')}`);
  }
  const result: MonitorDescription = { target, attr };
  if (raw.slice !== undefined) {
    if (!Array.isArray(raw.slice) || raw.slice.length !== 2) fail(where, 'slice', '[start, stop]', raw.slice);
    const start = requireInteger(where, 'slice[0] (start)', raw.slice[0], 0, population.size - 1);
    const stop = requireInteger(where, 'slice[1] (stop)', raw.slice[1], start + 1, population.size);
    result.slice = [start, stop];
  }
  return result;
}

