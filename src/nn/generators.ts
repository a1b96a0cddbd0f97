/** Generators: the `pre` side of synapses that feed a network from outside. */
import { requireRecord } from '../ir/checks.ts';
import { NetworkObject } from './networkObject.ts';

export abstract class Generator extends NetworkObject {
  constructor(
    readonly size: number,
    readonly params: Record<string, unknown>,
    name: string | undefined,
  ) {
    super(name);
  }
}

/** Each of `size` outputs is an independent Poisson train of `rate` Hz, from `start` to `stop` ms. */
export class PoissonGenerator extends Generator {
  constructor(options: { size?: number; rate?: number; start?: number; stop?: number; name?: string } = {}) {
    const { size = 1, name, ...params } = requireRecord('PoissonGenerator', 'options', options);
    super(size as number, params, name as string | undefined);
  }

  get kind(): string {
    return 'PoissonGenerator';
  }
}

/** A constant current of `amplitude` pA from `start` to `stop` ms, scaled by the synapse weight. */
export class DCGenerator extends Generator {
  constructor(options: { size?: number; amplitude?: number; start?: number; stop?: number; name?: string } = {}) {
    const { size = 1, name, ...params } = requireRecord('DCGenerator', 'options', options);
    super(size as number, params, name as string | undefined);
  }

  get kind(): string {
    return 'DCGenerator';
  }
}

/** Spikes at given times [ms]: one list per output (a flat list when size is 1). */
export class SpikeGenerator extends Generator {
  constructor(options: { size?: number; spike_times: number[] | number[][]; name?: string }) {
    const { size = 1, name, spike_times } = requireRecord('SpikeGenerator', 'options', options);
    super(size as number, { spike_times }, name as string | undefined);
  }

  get kind(): string {
    return 'SpikeGenerator';
  }
}
