/**
 * Turns the MODEL argument into an unchecked network description. MODEL is a JSON description, or
 * a .ts/.js module whose default export is one of: an `nn.Module` class or instance, an `nn.SNet`
 * class, an `nn.SNetLayer`, a description object, or a function of the `--set` parameters that
 * returns any of these.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModelError } from '../errors.ts';
import { isRecord } from '../ir/checks.ts';
import { Module, SNet, SNetLayer, describeNetwork } from '../nn/network.ts';

export type SetParams = Record<string, string | number | boolean>;

/** A MODEL module compiled together with the CLI, so that it shares the CLI's classes. */
export interface CompiledModel {
  /** The MODEL file, absolute. */
  readonly file: string;
  /** The compiled module's URL. */
  readonly url: string;
}

export async function loadModel(path: string, set: SetParams, compiled?: CompiledModel): Promise<Record<string, unknown>> {
  const file = resolve(path);
  const extension = extname(file);
  if (extension === '.json') {
    if (Object.keys(set).length) throw new ModelError('INVALID_VALUE', `--set has no effect on a JSON description (${path}); edit the file instead`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ModelError('UNKNOWN_NAME', `cannot read MODEL ${path}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ModelError('INVALID_VALUE', `MODEL ${path} is not valid JSON: ${(error as Error).message}`);
    }
    if (!isRecord(parsed)) {
      const got = Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed);
      throw new ModelError('INVALID_VALUE', `MODEL ${path} must hold a network description, a JSON object with populations, projections, …; got ${got}`);
    }
    return parsed;
  }
  if (!['.ts', '.mts', '.js', '.mjs'].includes(extension)) {
    throw new ModelError('INVALID_VALUE', `MODEL must be a .ts, .js or .json file, got ${path}`);
  }
  let module: { default?: unknown; monitors?: unknown };
  try {
    module = await import(compiled?.file === file ? compiled.url : pathToFileURL(file).href);
  } catch (error) {
    if (!existsSync(file)) throw new ModelError('UNKNOWN_NAME', `MODEL ${path} does not exist`);
    // The model is there, but not something it imports (a package not installed, a misspelt file).
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new ModelError('UNKNOWN_NAME', `MODEL ${path} imports what cannot be found: ${(error as Error).message}`);
    }
    throw error;
  }
  if (module.default === undefined) throw new ModelError('INVALID_VALUE', `MODEL ${path} has no default export; export the network (see examples/)`);
  const description = fromExport(module.default, set, path, true);
  // A model may declare what to record: `export const monitors = [new MonitorConf('E', 'v', slice(0, 10))]`.
  if (module.monitors !== undefined) {
    if (!Array.isArray(module.monitors)) throw new ModelError('INVALID_VALUE', `MODEL ${path}: export monitors as an array of MonitorConf`);
    return { ...description, monitors: module.monitors.map((m: { toJSON?: () => unknown }) => (typeof m?.toJSON === 'function' ? m.toJSON() : m)) };
  }
  return description;
}

function fromExport(value: unknown, set: SetParams, path: string, mayTakeParams: boolean): Record<string, unknown> {
  if (typeof value === 'function') {
    const prototype = (value as { prototype?: unknown }).prototype;
    if (prototype instanceof Module) return fromModule(new (value as new () => Module)(), set, path);
    if (prototype instanceof SNet) return noParams(set, path, () => describeNetwork(new (value as new () => SNet)()));
    if (mayTakeParams) return fromExport((value as (p: SetParams) => unknown)(set), {}, path, false);
  }
  if (value instanceof Module) return fromModule(value, set, path);
  if (value instanceof SNetLayer) return noParams(set, path, () => value.describe());
  if (typeof value === 'object' && value !== null && 'populations' in value) return noParams(set, path, () => value as Record<string, unknown>);
  throw new ModelError('INVALID_VALUE', `MODEL ${path}: the default export is not a network (an nn.Module, nn.SNet, nn.SNetLayer, description, or a function returning one)`);
}

function fromModule(module: Module, set: SetParams, path: string): Record<string, unknown> {
  return noParams(set, path, () => {
    module.setup();
    const layers = Object.values(module).filter((v): v is SNetLayer => v instanceof SNetLayer);
    if (layers.length !== 1) throw new ModelError('INVALID_VALUE', `MODEL ${path}: the module holds ${layers.length} SNetLayers; the CLI runs modules with exactly one`);
    return layers[0].describe();
  });
}

function noParams(set: SetParams, path: string, build: () => Record<string, unknown>): Record<string, unknown> {
  const names = Object.keys(set);
  if (names.length) {
    throw new ModelError('UNKNOWN_KEY', `MODEL ${path} takes no --set parameters, got ${names.join(', ')}; export a function of the parameters to accept them`);
  }
  return build();
}
