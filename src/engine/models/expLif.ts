/**
 * ExpLIF: NEST's `iaf_psc_exp`, a leaky integrate-and-fire neuron with exponentially decaying
 * excitatory and inhibitory synaptic currents, an absolute refractory period and a hard reset,
 * integrated exactly with propagators precomputed from dt (Rotter & Diesmann 1999).
 *
 *   C_m dV/dt = −C_m (V − E_L)/τ_m + I_ex + I_in + I_e + I_dc,   dI_x/dt = −I_x/τ_syn_x
 *
 * The update keeps NEST's order: V from the old currents, decay the currents, add this step's
 * input (weights in pA; an arriving spike jumps the current), threshold, reset. A generator current
 * read at step t acts from step t + 1.
 */
import type { ChunkSpikes, NeuronPopulation, PopulationInit, RingSlots } from '../population.ts';
import { synapticArray, type SynapticArray } from '../precision.ts';
import { specialiseFor } from '../specialise.ts';
import { nativeNeuronStep } from './nativeNeurons.ts';

/** ∫ propagator from a synaptic current with time constant tauSyn to V (NEST's propagator_32). */
export function currentToVoltage(tauSyn: number, tauM: number, cM: number, h: number): number {
  if (Math.abs(tauM - tauSyn) < 1e-9 * tauM) return (h / cM) * Math.exp(-h / tauM);
  return ((tauSyn * tauM) / (cM * (tauM - tauSyn))) * (Math.exp(-h / tauM) - Math.exp(-h / tauSyn));
}

export class ExpLifPopulation implements NeuronPopulation {
  readonly name: string;
  readonly size: number;
  readonly gidStart: number;
  readonly ringPositive: SynapticArray;
  readonly ringNegative: SynapticArray;
  readonly ringCurrent: SynapticArray;
  readonly ringSlots: RingSlots;
  /** Membrane potential relative to E_L [mV]. */
  readonly v: Float64Array;
  readonly iEx: Float64Array;
  readonly iIn: Float64Array;
  /** Generator current for the next step [pA]. */
  readonly iDc: Float64Array;
  readonly refractory: Int32Array;
  private readonly eL: number;
  private readonly iE: number;
  private readonly theta: number;
  private readonly vReset: number;
  private readonly refractorySteps: number;
  private readonly p22: number;
  private readonly p11ex: number;
  private readonly p11in: number;
  private readonly p21ex: number;
  private readonly p21in: number;
  private readonly p20: number;

  constructor(init: PopulationInit) {
    const { params: p, size, dt: h } = init;
    this.name = init.name;
    this.size = size;
    this.gidStart = init.gidStart;
    this.ringSlots = init.ringSlots;
    this.ringPositive = synapticArray(init.precision, init.ringSlots.positive * size);
    this.ringNegative = synapticArray(init.precision, init.ringSlots.negative * size);
    this.ringCurrent = synapticArray(init.precision, init.currentInput ? init.ringSlots.current * size : 0);
    this.eL = p.E_L;
    this.iE = p.I_e;
    this.theta = p.V_th - p.E_L;
    this.vReset = p.V_reset - p.E_L;
    this.refractorySteps = Math.round(p.t_ref / h);
    this.p22 = Math.exp(-h / p.tau_m);
    this.p11ex = Math.exp(-h / p.tau_syn_ex);
    this.p11in = Math.exp(-h / p.tau_syn_in);
    this.p21ex = currentToVoltage(p.tau_syn_ex, p.tau_m, p.C_m, h);
    this.p21in = currentToVoltage(p.tau_syn_in, p.tau_m, p.C_m, h);
    this.p20 = (p.tau_m / p.C_m) * (1 - this.p22);
    this.v = init.vInit.map((v) => v - p.E_L);
    this.iEx = new Float64Array(size);
    this.iIn = new Float64Array(size);
    this.iDc = new Float64Array(size);
    this.refractory = new Int32Array(size);
    const current = init.currentInput;
    this.step = nativeNeuronStep(
      'ExpLIF',
      {
        v: this.v, iEx: this.iEx, iIn: this.iIn, refractory: this.refractory, ringPositive: this.ringPositive, ringNegative: this.ringNegative,
        iDc: current ? this.iDc : null, ringCurrent: current ? this.ringCurrent : null,
      },
      // The constant drive as `expLifStep` computes it.
      [this.p22, this.p11ex, this.p11in, this.p21ex, this.p21in, this.p20, this.iE, this.theta, this.vReset, (this.iE + 0) * this.p20],
      { gidStart: this.gidStart, refractorySteps: this.refractorySteps, positiveSlots: init.ringSlots.positive, negativeSlots: init.ringSlots.negative, currentSlots: init.ringSlots.current },
    ) ?? specialiseFor(size, expLifStep, this, this.p22, this.p11ex, this.p11in, this.p21ex, this.p21in, this.p20, this.iE, this.theta, this.vReset, this.refractorySteps, current);
  }

  readonly step: (t: number, out: ChunkSpikes) => void;

  read(variable: string, from: number, to: number, out: Float64Array, at: number): void {
    if (variable === 'v') {
      for (let i = from; i < to; i++) out[at++] = this.v[i] + this.eL;
    } else {
      const source = variable === 'i_syn_ex' ? this.iEx : this.iIn;
      for (let i = from; i < to; i++) out[at++] = source[i];
    }
  }
}

/** The update of one step for every neuron, specialised per population (see `specialise`). */
function expLifStep(
  state: { size: number; gidStart: number; v: Float64Array; iEx: Float64Array; iIn: Float64Array; iDc: Float64Array; refractory: Int32Array; ringPositive: SynapticArray; ringNegative: SynapticArray; ringCurrent: SynapticArray; ringSlots: RingSlots },
  p22: number, p11ex: number, p11in: number, p21ex: number, p21in: number, p20: number, iE: number, theta: number, vReset: number, refractorySteps: number, currentInput: boolean,
) {
  const { size, gidStart, v, iEx, iIn, iDc, refractory, ringPositive, ringNegative, ringCurrent } = state;
  const { positive: positiveSlots, negative: negativeSlots, current: currentSlots } = state.ringSlots;
  // Without generator current, I_dc stays +0: the drive is the same number every step.
  const constantDrive = (iE + 0) * p20;
  return (t: number, out: ChunkSpikes): void => {
    const positiveBase = (t % positiveSlots) * size;
    const negativeBase = (t % negativeSlots) * size;
    const currentBase = currentInput ? (t % currentSlots) * size : 0;
    for (let i = 0; i < size; i++) {
      // State in locals: V8 cannot know that the arrays never overlap, and would load each again
      // after every store.
      let vi = v[i];
      const ex = iEx[i];
      const inh = iIn[i];
      const r = refractory[i];
      if (r === 0) {
        vi = vi * p22 + ex * p21ex + inh * p21in + (currentInput ? (iE + iDc[i]) * p20 : constantDrive);
      } else {
        refractory[i] = r - 1;
      }
      iEx[i] = ex * p11ex + ringPositive[positiveBase + i];
      iIn[i] = inh * p11in + ringNegative[negativeBase + i];
      ringPositive[positiveBase + i] = 0;
      ringNegative[negativeBase + i] = 0;
      if (vi >= theta) {
        refractory[i] = refractorySteps;
        vi = vReset;
        const n = out.count++;
        out.steps[n] = t;
        out.gids[n] = gidStart + i;
      }
      v[i] = vi;
      if (currentInput) {
        iDc[i] = ringCurrent[currentBase + i];
        ringCurrent[currentBase + i] = 0;
      }
    }
  };
}
