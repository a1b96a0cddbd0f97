/**
 * The network description: plain, JSON-serialisable data and the only thing that crosses a process
 * boundary. The user API (`nn`) builds it, a JSON file can hold it, and every worker builds its own
 * partition from it. Plug-ins (connection rules, distributions) are written as one-key objects,
 * `{ "FixedProb": { "p": 0.1 } }`, as grpc-js writes its strategies.
 */

export const DESCRIPTION_VERSION = 1;

export type Platform = 'cpu' | 'gpu' | 'apu';

/**
 * How synaptic input is stored and summed: `double` (64-bit weights and input rings, as NEST) or
 * `single` (32-bit, as GPU simulators do; faster where delivery waits on memory). Neuron state is
 * 64-bit either way, and either way the sums follow the canonical order.
 */
export type Precision = 'double' | 'single';

/** A number per element: a scalar, one value per element, or a distribution drawn per element. */
export type ValueSpec =
  | number
  | number[]
  | { Uniform: { low: number; high: number } }
  | { Normal: { mean: number; sd: number; min?: number; max?: number } };

export type ConnectionRule =
  | { One2One: Record<string, never> }
  | { All2All: { allow_self?: boolean } }
  | { FixedProb: { p: number; allow_self?: boolean } }
  | { FixedTotalNum: { num: number; multi_conn?: boolean } }
  | { FixedInDegree: { degree: number; multi_conn?: boolean } }
  | { FixedOutDegree: { degree: number; multi_conn?: boolean } }
  | { CustomConn: { pre: number[]; post: number[] } };

export type ConnectRepr = 'COO' | 'CSR' | 'CSC' | 'MAT';

export interface PopulationDescription {
  name: string;
  /** Neuron model, e.g. `ExpLIF` (NEST iaf_psc_exp) or `LIF` (NEST iaf_psc_delta). */
  model: string;
  size: number;
  /** Canonical (NEST) parameter names, defaults filled in. */
  params: Record<string, number>;
  /** Initial membrane potential [mV]. */
  v_init: ValueSpec;
}

export interface GeneratorDescription {
  name: string;
  /** `PoissonGenerator`, `DCGenerator` or `SpikeGenerator`. */
  model: string;
  size: number;
  params: Record<string, number | number[] | number[][]>;
}

export interface ProjectionDescription {
  name: string;
  model: 'StaticSynapse';
  /** Name of a population or generator. */
  pre: string;
  /** Name of a population. */
  post: string;
  conn: ConnectionRule;
  conn_repr: ConnectRepr;
  /** [pA] into `ExpLIF`, [mV] into `LIF`; for a DC generator, the factor on its amplitude. */
  weight: ValueSpec;
  /** Whole steps, ≥ 1. */
  delay_step: ValueSpec;
}

export interface MonitorDescription {
  /** Population name. */
  target: string;
  /** `spike` or a state variable of the model (`v`, …). */
  attr: string;
  /** Neurons [start, stop) of the population; all when absent. */
  slice?: [number, number];
}

export interface NetworkDescription {
  version: number;
  platform: Platform;
  /** Time step [ms]. */
  dt: number;
  seed: number;
  precision: Precision;
  populations: PopulationDescription[];
  generators: GeneratorDescription[];
  projections: ProjectionDescription[];
  monitors: MonitorDescription[];
}
