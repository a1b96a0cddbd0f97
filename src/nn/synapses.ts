/** Synapses: projections from a population or generator (`pre`) to a population (`post`). */
import { ModelError } from '../errors.ts';
import { requireRecord, show } from '../ir/checks.ts';
import { All2All, type ConnectionRuleSpec, type ConnectReprName } from './connections.ts';
import { Generator } from './generators.ts';
import { valueSpec, type ValueInput } from './initializers.ts';
import { NetworkObject } from './networkObject.ts';
import { NeuronGroup } from './neurons.ts';

export type Source = NeuronGroup | Generator;

export interface SynapseOptions {
  pre?: Source;
  post?: NeuronGroup;
  conn?: ConnectionRuleSpec;
  conn_repr?: ConnectReprName;
  /** [pA] into ExpLIF, [mV] into LIF; for a DC generator, the factor on its amplitude. Default 1. */
  weight?: ValueInput;
  /** Whole steps ≥ 1. Default 1. */
  delay_step?: ValueInput;
  /** Delay in ms, rounded to whole steps; an alternative to `delay_step`. */
  delay?: ValueInput;
  name?: string;
}

/** A synapse whose weight never changes. */
export class StaticSynapse extends NetworkObject {
  readonly pre: Source;
  readonly post: NeuronGroup;
  readonly conn: ConnectionRuleSpec;
  readonly conn_repr: ConnectReprName | undefined;
  readonly weight: unknown;
  readonly delay_step: unknown;
  readonly delay: unknown;

  /** `new StaticSynapse({ pre, post, conn, … })` or, as NeurAI allows, `new StaticSynapse(pre, post, { conn, … })`. */
  constructor(preOrOptions: Source | SynapseOptions, post?: NeuronGroup, options: SynapseOptions = {}) {
    const all = (preOrOptions instanceof NetworkObject
      ? { ...requireRecord('StaticSynapse', 'options', options), pre: preOrOptions, post }
      : requireRecord('StaticSynapse', 'options', preOrOptions)) as SynapseOptions;
    super(all.name);
    const where = all.name ? `StaticSynapse "${all.name}"` : 'StaticSynapse';
    if (!(all.pre instanceof NeuronGroup || all.pre instanceof Generator)) {
      throw new ModelError('INVALID_VALUE', `${where}: pre must be a neuron population or a generator, got ${show(all.pre)}`);
    }
    if (!(all.post instanceof NeuronGroup)) {
      throw new ModelError('INVALID_VALUE', `${where}: post must be a neuron population (generators can only be pre), got ${show(all.post)}`);
    }
    this.pre = all.pre;
    this.post = all.post;
    this.conn = all.conn ?? new All2All();
    this.conn_repr = all.conn_repr;
    this.weight = valueSpec(all.weight);
    this.delay_step = valueSpec(all.delay_step);
    this.delay = valueSpec(all.delay);
  }

  get kind(): string {
    return 'StaticSynapse';
  }
}
