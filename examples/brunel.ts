/**
 * Brunel (2000) model A: a sparsely connected network of excitatory and inhibitory delta-synapse
 * LIF neurons driven by external Poisson input — the classic balanced random network.
 *
 * NE = 10000·scale excitatory and NI = 2500·scale inhibitory neurons; every pair connected with
 * probability 0.1; J = 0.1 mV, inhibitory weight −g·J with g = 5; delay 1.5 ms; τ = 20 ms,
 * θ = 20 mV, V_reset = 10 mV, refractory 2 ms; initial V uniform in [0, θ]. Each neuron receives
 * CE = 1000 external synapses firing at η·ν_thr with η = 2 and ν_thr = θ/(J·CE·τ); their sum is one
 * Poisson train of rate CE·η·ν_thr.
 *
 *   npx spikegrid run examples/brunel.ts --t 1000 --set scale=1
 */
import { ModelError, nn, modelParams } from '../index.ts';

export default function brunel(set?: Record<string, unknown>) {
  const { scale, g, eta, J } = modelParams(set, { scale: 1, g: 5, eta: 2, J: 0.1 });
  const nE = Math.round(10000 * scale);
  const nI = Math.round(2500 * scale);
  if (!(nI >= 1)) throw new ModelError('INVALID_VALUE', `--set scale: must be at least 0.0002, which gives one inhibitory neuron, got ${scale}`);
  const tau = 20; // [ms]
  const theta = 20; // [mV]
  const cExternal = 1000;
  const nuThreshold = (theta / (J * cExternal * tau)) * 1000; // [Hz]
  const externalRate = cExternal * eta * nuThreshold; // [Hz], all external synapses of one neuron
  const neuron = { E_L: 0, V_th: theta, V_reset: 10, tau_m: tau, C_m: 1, t_ref: 2, v_init: new nn.Uniform(0, theta) };

  return class Brunel extends nn.SNet {
    setup() {
      this.exc = new nn.LIF({ name: 'E', size: nE, ...neuron });
      this.inh = new nn.LIF({ name: 'I', size: nI, ...neuron });
      this.driveE = new nn.PoissonGenerator({ name: 'external_E', size: nE, rate: externalRate });
      this.driveI = new nn.PoissonGenerator({ name: 'external_I', size: nI, rate: externalRate });
      this.external = [
        new nn.StaticSynapse({ pre: this.driveE, post: this.exc, conn: new nn.One2One(), weight: J, delay: 1.5 }),
        new nn.StaticSynapse({ pre: this.driveI, post: this.inh, conn: new nn.One2One(), weight: J, delay: 1.5 }),
      ];
      this.recurrent = [this.exc, this.inh].flatMap((pre, k) =>
        [this.exc, this.inh].map((post) => new nn.StaticSynapse({ pre, post, conn: new nn.FixedProb(0.1), weight: k === 0 ? J : -g * J, delay: 1.5 })),
      );
    }
  };
}
