/**
 * Connection rules and storage choices, as NeurAI spells them. Each rule serialises to the one-key
 * object the network description uses, e.g. `{ "FixedProb": { "p": 0.1 } }`.
 */
import { fail, requireRecord } from '../ir/checks.ts';

export abstract class ConnectionRuleSpec {
  abstract toJSON(): object;
}

/** Neuron i of pre to neuron i of post. */
export class One2One extends ConnectionRuleSpec {
  toJSON() {
    return { One2One: {} };
  }
}

/** Every pre neuron to every post neuron; `allow_self: false` leaves out i → i within one population. */
export class All2All extends ConnectionRuleSpec {
  constructor(readonly options: { allow_self?: boolean } = {}) {
    super();
  }

  toJSON() {
    return { All2All: { ...this.options } };
  }
}

/** Each pair independently with probability `p`. */
export class FixedProb extends ConnectionRuleSpec {
  constructor(
    readonly p: number,
    readonly options: { allow_self?: boolean } = {},
  ) {
    super();
  }

  toJSON() {
    return { FixedProb: { p: this.p, ...this.options } };
  }
}

/** `num` connections in total between random pairs; `multi_conn` allows a pair more than once. */
export class FixedTotalNum extends ConnectionRuleSpec {
  constructor(
    readonly num: number,
    readonly multi_conn = true,
  ) {
    super();
  }

  toJSON() {
    return { FixedTotalNum: { num: this.num, multi_conn: this.multi_conn } };
  }
}

/** Every post neuron gets `degree` inputs from random pre neurons. */
export class FixedInDegree extends ConnectionRuleSpec {
  constructor(
    readonly degree: number,
    readonly multi_conn = true,
  ) {
    super();
  }

  toJSON() {
    return { FixedInDegree: { degree: this.degree, multi_conn: this.multi_conn } };
  }
}

/** NeurAI's spelling of `FixedInDegree`. */
export const FixedIndegree = FixedInDegree;

/** Every pre neuron sends `degree` outputs to random post neurons. */
export class FixedOutDegree extends ConnectionRuleSpec {
  constructor(
    readonly degree: number,
    readonly multi_conn = true,
  ) {
    super();
  }

  toJSON() {
    return { FixedOutDegree: { degree: this.degree, multi_conn: this.multi_conn } };
  }
}

/** Explicit pairs: `pre_ids[k]` → `post_ids[k]`. */
export class CustomConn extends ConnectionRuleSpec {
  readonly pre_ids: number[];
  readonly post_ids: number[];

  constructor(options: { pre_ids: ArrayLike<number>; post_ids: ArrayLike<number> }) {
    super();
    const { pre_ids, post_ids } = requireRecord('CustomConn', 'options', options);
    this.pre_ids = indexList('pre_ids', pre_ids);
    this.post_ids = indexList('post_ids', post_ids);
  }

  toJSON() {
    return { CustomConn: { pre: this.pre_ids, post: this.post_ids } };
  }
}

/** A list of neuron indices given as an array or a typed array. */
function indexList(field: string, value: unknown): number[] {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) fail('CustomConn', field, 'an array of neuron indices', value);
  return Array.from(value as ArrayLike<number>);
}

/**
 * How a projection is stored. Results are identical whichever is chosen. Delivery walks synapses by
 * source, so COO, CSR and CSC are all kept as rows by source (CSR); MAT keeps a dense
 * source × target matrix, which pays off for small, dense projections.
 */
export const ConnectRepr = { COO: 'COO', CSR: 'CSR', CSC: 'CSC', MAT: 'MAT' } as const;
export type ConnectReprName = (typeof ConnectRepr)[keyof typeof ConnectRepr];
