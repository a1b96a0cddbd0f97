/**
 * LIF: NEST's `iaf_psc_delta`, a leaky integrate-and-fire neuron whose input spikes make V jump by
 * their weight [mV]; spikes arriving during the refractory period are dropped; hard reset.
 *
 *   C_m dV/dt = −C_m (V − E_L)/τ_m + I_e + I_dc,   V += w on each arriving spike
 *
 * Exact integration: V ← P33·V + P30·(I_e + I_dc) + Σw, then threshold and reset, as NEST does it.
 */
import type { ChunkSpikes, NeuronPopulation, PopulationInit, RingSlots } from '../population.ts';
import { synapticArray, type SynapticArray } from '../precision.ts';
import { specialiseFor } from '../specialise.ts';
import { nativeNeuronStep } from './nativeNeurons.ts';

export class LifPopulation implements NeuronPopulation {
  readonly name: string;
  readonly size: number;
  readonly gidStart: number;
  /** Delta synapses have one input: both signs share a ring. */
  readonly ringPositive: SynapticArray;
  readonly ringNegative: SynapticArray;
  readonly ringCurrent: SynapticArray;
  readonly ringSlots: RingSlots;
  /** Membrane potential relative to E_L [mV]. */
  readonly v: Float64Array;
  readonly iDc: Float64Array;
  readonly refractory: Int32Array;
  private readonly eL: number;
  private readonly iE: number;
  private readonly theta: number;
  private readonly vReset: number;
  private readonly vMin: number;
  private readonly refractorySteps: number;
  private readonly p33: number;
  private readonly p30: number;

  constructor(init: PopulationInit) {
    const { params: p, size, dt: h } = init;
    this.name = init.name;
    this.size = size;
    this.gidStart = init.gidStart;
    const synaptic = Math.max(init.ringSlots.positive, init.ringSlots.negative);
    this.ringSlots = { positive: synaptic, negative: synaptic, current: init.ringSlots.current };
    this.ringPositive = synapticArray(init.precision, synaptic * size);
    this.ringNegative = this.ringPositive;
    this.ringCurrent = synapticArray(init.precision, init.currentInput ? init.ringSlots.current * size : 0);
    this.eL = p.E_L;
    this.iE = p.I_e;
    this.theta = p.V_th - p.E_L;
    this.vReset = p.V_reset - p.E_L;
    this.vMin = p.V_min - p.E_L;
    this.refractorySteps = Math.round(p.t_ref / h);
    this.p33 = Math.exp(-h / p.tau_m);
    this.p30 = (p.tau_m / p.C_m) * (1 - this.p33);
    this.v = init.vInit.map((v) => v - p.E_L);
    this.iDc = new Float64Array(size);
    this.refractory = new Int32Array(size);
    const current = init.currentInput;
    this.step = nativeNeuronStep(
      'LIF',
      {
        v: this.v, iEx: null, iIn: null, refractory: this.refractory, ringPositive: this.ringPositive, ringNegative: null,
        iDc: current ? this.iDc : null, ringCurrent: current ? this.ringCurrent : null,
      },
      // The constant drive as `lifStep` computes it.
      [this.p33, this.p30, this.iE, this.theta, this.vReset, this.vMin, this.p30 * (this.iE + 0)],
      { gidStart: this.gidStart, refractorySteps: this.refractorySteps, positiveSlots: synaptic, negativeSlots: synaptic, currentSlots: init.ringSlots.current },
    ) ?? specialiseFor(size, lifStep, this, this.p33, this.p30, this.iE, this.theta, this.vReset, this.vMin, this.refractorySteps, current);
  }

  readonly step: (t: number, out: ChunkSpikes) => void;

  read(variable: string, from: number, to: number, out: Float64Array, at: number): void {
    for (let i = from; i < to; i++) out[at++] = this.v[i] + this.eL;
  }
}

/** The update of one step for every neuron, specialised per population (see `specialise`). */
function lifStep(
  state: { size: number; gidStart: number; v: Float64Array; iDc: Float64Array; refractory: Int32Array; ringPositive: SynapticArray; ringCurrent: SynapticArray; ringSlots: RingSlots },
  p33: number, p30: number, iE: number, theta: number, vReset: number, vMin: number, refractorySteps: number, currentInput: boolean,
) {
  const { size, gidStart, v, iDc, refractory, ringPositive: ring, ringCurrent } = state;
  const synapticSlots = state.ringSlots.positive;
  const currentSlots = state.ringSlots.current;
  // Without generator current, I_dc stays +0: the drive is the same number every step.
  const constantDrive = p30 * (iE + 0);
  return (t: number, out: ChunkSpikes): void => {
    const base = (t % synapticSlots) * size;
    const currentBase = currentInput ? (t % currentSlots) * size : 0;
    for (let i = 0; i < size; i++) {
      const at = base + i;
      // State in locals: V8 cannot know that v, the ring and refractory never overlap, and would
      // load each again after every store.
      let vi = v[i];
      const r = refractory[i];
      if (r === 0) {
        const next = p33 * vi + (currentInput ? p30 * (iE + iDc[i]) : constantDrive) + ring[at];
        vi = next < vMin ? vMin : next;
      } else {
        refractory[i] = r - 1;
      }
      ring[at] = 0;
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
