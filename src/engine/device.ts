/**
 * Devices: where a partition's numbers live and which kernels advance them. A device is a set of
 * neuron kernels registered per model, as TensorFlow.js registers kernels per backend; devices are
 * registered explicitly, never as a side effect of an import.
 */
import { ModelError } from '../errors.ts';
import type { Platform } from '../ir/description.ts';
import { ExpLifPopulation } from './models/expLif.ts';
import { LifPopulation } from './models/lif.ts';
import type { NeuronPopulation, PopulationInit } from './population.ts';

export type PopulationKernel = (init: PopulationInit) => NeuronPopulation;

export interface Device {
  readonly platform: Platform;
  readonly kernels: ReadonlyMap<string, PopulationKernel>;
}

const devices = new Map<Platform, Device>();

/** The reference device: hand-written loops over typed arrays. */
export function registerCpuDevice(): Device {
  const device: Device = {
    platform: 'cpu',
    kernels: new Map<string, PopulationKernel>([
      ['ExpLIF', (init) => new ExpLifPopulation(init)],
      ['LIF', (init) => new LifPopulation(init)],
    ]),
  };
  devices.set('cpu', device);
  return device;
}

/** The device for a platform; one that is not available is an error, never a silent fallback. */
export function deviceFor(platform: Platform): Device {
  if (platform === 'cpu' && !devices.has('cpu')) registerCpuDevice();
  const device = devices.get(platform);
  if (!device) {
    const why = platform === 'gpu'
      ? 'the GPU device (TensorFlow.js) is not available in this build'
      : 'export to neuromorphic chips (APU) is not available in this build';
    throw new ModelError('UNSUPPORTED', `setPlatform('${platform}'): ${why}; use setPlatform('cpu')`);
  }
  return device;
}
