/**
 * CUBA (Brette et al. 2007, benchmark 2): 4000 current-based LIF neurons, 80 % excitatory, random
 * connections with probability 0.02, exponential synaptic currents. With R = 1 (C_m = τ_m) the
 * synaptic weights are in mV-equivalent current, as in the original:
 *
 *   τ_m dV/dt = −(V − E_L) + I_ex + I_in,   I_ex += 1.62 mV, I_in −= 9 mV per spike
 *
 *   npx spikegrid run examples/cuba.ts --t 1000 --set n=4000
 */
import { ModelError, nn, modelParams } from '../index.ts';

export default function cuba(set?: Record<string, unknown>) {
  const { n, p } = modelParams(set, { n: 4000, p: 0.02 });
  if (!(Number.isInteger(n) && n >= 3)) throw new ModelError('INVALID_VALUE', `--set n: must be a whole number ≥ 3, so that both populations have neurons, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new ModelError('INVALID_VALUE', `--set p: must be a connection probability in [0, 1], got ${p}`);
  const nE = Math.round(0.8 * n);
  const neuron = { V_rest: -49, V_th: -50, V_reset: -60, tau: 20, R: 1, t_ref: 5, tau_syn_ex: 5, tau_syn_in: 10, v_init: new nn.Uniform(-60, -50) };

  return class Cuba extends nn.SNet {
    setup() {
      this.exc = new nn.ExpLIF({ name: 'E', size: nE, ...neuron });
      this.inh = new nn.ExpLIF({ name: 'I', size: n - nE, ...neuron });
      this.synapses = [this.exc, this.inh].flatMap((pre, k) =>
        [this.exc, this.inh].map((post) => new nn.StaticSynapse({ pre, post, conn: new nn.FixedProb(p), weight: k === 0 ? 1.62 : -9, delay_step: 1 })),
      );
    }
  };
}
