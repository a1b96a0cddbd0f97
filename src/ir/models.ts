/**
 * What each neuron and generator model accepts: canonical parameter names (NEST's), defaults (NEST's),
 * NeurAI's aliases, and the state variables a monitor may record. Engine kernels live in
 * `engine/models`; this file is the contract they are checked against.
 */

export interface ParamSpec {
  readonly default: number;
  /** Which values are legal, and how to say so. */
  readonly check: 'finite' | 'positive' | 'nonnegative';
  readonly unit: string;
}

export interface NeuronSchema {
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** NeurAI spelling → canonical name. */
  readonly aliases: Readonly<Record<string, string>>;
  /** Recordable state variables besides `spike`. */
  readonly variables: readonly string[];
  /** The NEST model with the same equations. */
  readonly nest: string;
}

const finite = (value: number, unit: string): ParamSpec => ({ default: value, check: 'finite', unit });
const positive = (value: number, unit: string): ParamSpec => ({ default: value, check: 'positive', unit });
const nonnegative = (value: number, unit: string): ParamSpec => ({ default: value, check: 'nonnegative', unit });

const lifCommon = {
  E_L: finite(-70, 'mV'),
  C_m: positive(250, 'pF'),
  tau_m: positive(10, 'ms'),
  t_ref: nonnegative(2, 'ms'),
  V_th: finite(-55, 'mV'),
  V_reset: finite(-70, 'mV'),
  I_e: finite(0, 'pA'),
};

const neuraiAliases = { V_rest: 'E_L', tau: 'tau_m' };

export const NEURON_MODELS: Readonly<Record<string, NeuronSchema>> = {
  ExpLIF: {
    nest: 'iaf_psc_exp',
    params: { ...lifCommon, tau_syn_ex: positive(2, 'ms'), tau_syn_in: positive(2, 'ms') },
    aliases: neuraiAliases,
    variables: ['v', 'i_syn_ex', 'i_syn_in'],
  },
  LIF: {
    nest: 'iaf_psc_delta',
    params: { ...lifCommon, V_min: finite(-Number.MAX_VALUE, 'mV') },
    aliases: neuraiAliases,
    variables: ['v'],
  },
};

/** Units of the recordable state variables, for axis labels. */
export const VARIABLE_UNITS: Readonly<Record<string, string>> = { v: 'mV', i_syn_ex: 'pA', i_syn_in: 'pA' };

export interface GeneratorSchema {
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Parameters that are lists rather than numbers. */
  readonly lists: readonly string[];
  /** What reaches the target: spike counts into synaptic input, or a current. */
  readonly output: 'spikes' | 'current';
}

/** `stop` defaults to "never": a run ends before it. */
const FOREVER = Number.MAX_VALUE;

export const GENERATOR_MODELS: Readonly<Record<string, GeneratorSchema>> = {
  PoissonGenerator: {
    params: { rate: nonnegative(0, 'Hz'), start: nonnegative(0, 'ms'), stop: nonnegative(FOREVER, 'ms') },
    lists: [],
    output: 'spikes',
  },
  DCGenerator: {
    params: { amplitude: finite(0, 'pA'), start: nonnegative(0, 'ms'), stop: nonnegative(FOREVER, 'ms') },
    lists: [],
    output: 'current',
  },
  SpikeGenerator: {
    params: {},
    lists: ['spike_times'],
    output: 'spikes',
  },
};

export function knownNames(record: object): string {
  return Object.keys(record).join(', ');
}
