/**
 * The cortical microcircuit of Potjans & Diesmann (2014): 77 169 `iaf_psc_exp` neurons in eight
 * populations (layers 2/3, 4, 5, 6; excitatory and inhibitory) and about 3·10⁸ synapses, with the
 * published parameters, as in NEST's microcircuit example.
 *
 *   npx spikegrid run examples/pd14.ts --t 1000 --set scale=0.1 [--set bg=poisson] [--set k_scale=0.5] [--precision single]
 *
 * `scale` multiplies the neuron counts and keeps the in-degrees, so the synapse count scales with it.
 * `k_scale` < 1 also thins the in-degrees; then weights grow by 1/√k_scale and a DC current makes up
 * for the lost mean input, computed from the published full-scale rates (van Albada et al. 2015).
 */
import { ModelError, nn, modelParams } from '../index.ts';

export const populations = ['L23E', 'L23I', 'L4E', 'L4I', 'L5E', 'L5I', 'L6E', 'L6I'];
export const fullSizes = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948];
/** Connection probabilities, [target][source]. */
export const connectionProbabilities = [
  [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
  [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
  [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
  [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
  [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
  [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
  [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
  [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
];
/** Published full-scale rates [spikes/s], used for DC compensation when in-degrees are thinned. */
export const referenceRates = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829];
const vMean = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43];
const vSd = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48];
const externalInDegree = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100];
const backgroundRate = 8; // [spikes/s] per external input

export const neuronParams = { E_L: -65, V_th: -50, V_reset: -65, C_m: 250, tau_m: 10, t_ref: 2, tau_syn_ex: 0.5, tau_syn_in: 0.5 };
const psp = 0.15; // [mV]
const relativeWeightSd = 0.1;
const g = -4;
const delayMean = { E: 1.5, I: 0.75 }; // [ms]
const relativeDelaySd = 0.5;

/** The PSC amplitude [pA] that gives a PSP of `psp` mV peak in an iaf_psc_exp neuron. */
export function pscFromPsp(pspMv: number, { C_m, tau_m, tau_syn_ex: tauS } = neuronParams): number {
  const sub = 1 / (tauS - tau_m);
  const pre = ((tau_m * tauS) / C_m) * sub;
  const frac = (tau_m / tauS) ** sub;
  return pspMv / (pre * (frac ** tau_m - frac ** tauS));
}

/** Synapses between two populations: K = log(1 − C) / log(1 − 1/(N_pre·N_post)). */
export function synapseCount(p: number, nPre: number, nPost: number): number {
  return p === 0 ? 0 : Math.log(1 - p) / Math.log(1 - 1 / (nPre * nPost));
}

export default function pd14(set?: Record<string, unknown>) {
  const { scale, k_scale, bg } = modelParams(set, { scale: 0.1, k_scale: 1, bg: 'dc' });
  // The compensation is for a model scaled down: 1 is the published one.
  if (!(scale > 0 && scale <= 1)) throw new ModelError('INVALID_VALUE', `--set scale: must be in (0, 1], 1 being the published model, got ${scale}`);
  if (!(k_scale > 0 && k_scale <= 1)) throw new ModelError('INVALID_VALUE', `--set k_scale: must be in (0, 1], got ${k_scale}`);
  if (bg !== 'dc' && bg !== 'poisson') throw new ModelError('INVALID_VALUE', `--set bg: must be dc or poisson, got ${JSON.stringify(bg)}`);
  const sizes = fullSizes.map((n) => Math.max(1, Math.round(n * scale)));
  const w = pscFromPsp(psp);
  const weightScale = 1 / Math.sqrt(k_scale);
  // Mean weight from source population s onto target population t [pA].
  const meanWeight = (t: number, s: number) => w * (s % 2 === 1 ? g : t === 0 && s === 2 ? 2 : 1);

  return class Microcircuit extends nn.SNet {
    setup() {
      this.layers = populations.map((name, i) => new nn.ExpLIF({
        name, size: sizes[i], ...neuronParams, I_e: backgroundCurrent(i),
        v_init: new nn.Normal(vMean[i], vSd[i]),
      }));
      this.projections = [];
      populations.forEach((_, t) => populations.forEach((__, s) => {
        // Full-scale count, scaled with the targets (in-degree kept) and thinned by k_scale.
        const full = synapseCount(connectionProbabilities[t][s], fullSizes[s], fullSizes[t]);
        const num = Math.round(full * scale * k_scale);
        if (num === 0) return;
        const mean = meanWeight(t, s) * weightScale;
        const delay = s % 2 === 0 ? delayMean.E : delayMean.I;
        this.projections.push(new nn.StaticSynapse({
          name: `${populations[s]}_to_${populations[t]}`,
          pre: this.layers[s], post: this.layers[t], conn: new nn.FixedTotalNum(num, true),
          // Sign-preserving: draws that would flip the sign are redrawn.
          weight: new nn.Normal(mean, Math.abs(mean) * relativeWeightSd, mean > 0 ? { min: 0 } : { max: 0 }),
          delay: new nn.Normal(delay, delay * relativeDelaySd, { min: 0.1, max: delay * (1 + 8 * relativeDelaySd) }),
        }));
      }));
      if (bg === 'poisson') {
        this.background = populations.map((name, i) => new nn.PoissonGenerator({ name: `bg_${name}`, size: sizes[i], rate: externalInDegree[i] * k_scale * backgroundRate }));
        this.backgroundSynapses = populations.map((_, i) => new nn.StaticSynapse({
          pre: this.background[i], post: this.layers[i], conn: new nn.One2One(), weight: w * weightScale, delay: 1.5,
        }));
      }
    }
  };

  /** DC input [pA]: the mean background current (DC mode), plus what thinned in-degrees lose. */
  function backgroundCurrent(t: number): number {
    const mean = (rate: number, k: number, weight: number) => rate * k * weight * neuronParams.tau_syn_ex * 0.001;
    let current = bg === 'poisson' ? 0 : mean(backgroundRate, externalInDegree[t] * k_scale, w * weightScale);
    if (k_scale !== 1) {
      // The mean input that thinning took away: (1 − √k) of the full mean recurrent and external input.
      let lost = 0;
      for (let s = 0; s < populations.length; s++) {
        const inDegree = synapseCount(connectionProbabilities[t][s], fullSizes[s], fullSizes[t]) / fullSizes[t];
        lost += mean(referenceRates[s], inDegree, meanWeight(t, s));
      }
      lost += bg === 'poisson' ? mean(backgroundRate, externalInDegree[t], w) : 0;
      current += (1 - Math.sqrt(k_scale)) * lost;
    }
    return current;
  }
}
