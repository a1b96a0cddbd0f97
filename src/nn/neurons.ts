/**
 * Neuron populations. Parameters use NeurAI's names (`V_rest`, `tau`, `R`, …) or NEST's (`E_L`,
 * `tau_m`, `C_m`, `t_ref`, …); both are checked, with NEST's defaults, when the network is built.
 */
import { requireRecord } from '../ir/checks.ts';
import { NetworkObject } from './networkObject.ts';
import { valueSpec, type ValueInput } from './initializers.ts';

export interface NeuronOptions {
  size?: number;
  /** Initial membrane potential [mV]: a number, one per neuron, or a distribution. Default E_L. */
  v_init?: ValueInput;
  name?: string;
  /** Model parameters [mV, ms, pF, pA]. */
  [param: string]: unknown;
}

export abstract class NeuronGroup extends NetworkObject {
  readonly size: number;
  readonly v_init: unknown;
  readonly params: Record<string, unknown>;

  constructor(options: NeuronOptions = {}) {
    super(options.name);
    const { size = 1, v_init, name: _name, ...params } = options;
    this.size = size;
    this.v_init = valueSpec(v_init as ValueInput | undefined);
    this.params = params;
  }
}

export interface LifParams {
  V_rest?: number;
  E_L?: number;
  V_th?: number;
  V_reset?: number;
  tau?: number;
  tau_m?: number;
  R?: number;
  C_m?: number;
  t_ref?: number;
  I_e?: number;
}

/** NEST's iaf_psc_exp: exponential synaptic currents (`tau_syn_ex`, `tau_syn_in`), weights in pA. */
export class ExpLIF extends NeuronGroup {
  constructor(options: NeuronOptions & LifParams & { tau_syn_ex?: number; tau_syn_in?: number } = {}) {
    super(requireRecord('ExpLIF', 'options', options));
  }

  get kind(): string {
    return 'ExpLIF';
  }
}

/** NEST's iaf_psc_delta: each input spike moves V by its weight in mV. */
export class LIF extends NeuronGroup {
  constructor(options: NeuronOptions & LifParams & { V_min?: number } = {}) {
    super(requireRecord('LIF', 'options', options));
  }

  get kind(): string {
    return 'LIF';
  }
}
