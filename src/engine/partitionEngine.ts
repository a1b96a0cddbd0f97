/**
 * One partition of a network: the neurons it owns, their incoming synapses, the generators that
 * feed them, and the chunk loop's two halves — `advance` runs up to one chunk of steps, `deliver`
 * puts the spikes of a finished chunk (its own and everyone else's) into the input rings.
 *
 * Ordering rules (DESIGN.md, "Time, delays and chunks"):
 * - within a step: generators emit (into later slots), then populations update in description
 *   order, neurons in index order — so the spike list comes out sorted by (step, gid);
 * - neuron spikes are delivered only between chunks, in canonical order (emit step, source gid,
 *   synapse index), whether they came from this partition or another.
 */
import type { PartitionSummary } from '../exchange/messages.ts';
import type { NetworkDescription } from '../ir/description.ts';
import { Purpose } from '../random/counter.ts';
import { InternalError } from '../errors.ts';
import { buildProjection, expectedSynapses, sourceSize } from './connectivity/buildProjection.ts';
import { arrivalDelivery, arrivalGroups, type ArrivalDelivery } from './connectivity/arrivalDelivery.ts';
import { rowDelivery, signedRings, synapticRing, weightSigns, type Receptor, type RowDelivery } from './connectivity/delivery.ts';
import { toDense } from './connectivity/denseTable.ts';
import { rowPrefetch, type RowPrefetch } from './connectivity/rowPrefetch.ts';
import { groupBySource, sharedBySource } from './connectivity/sourceGroups.ts';
import type { SynapseTable } from './connectivity/synapseTable.ts';
import { deviceFor } from './device.ts';
import { nativeKernels } from './nativeKernels.ts';
import { DcSource, GeneratorSource, PoissonSource, SpikeListSource, type GeneratorLink } from './generators.ts';
import { ownedNeurons, populationOffsets, type PartitionPlan } from './layout.ts';
import { emptyChunkSpikes, type ChunkSpikes, type NeuronPopulation } from './population.ts';
import { ringSlotsOf } from './ringSlots.ts';
import { chunkSteps } from './timing.ts';
import { ValueSampler } from './values.ts';

/** A trace monitor's local part: which neurons of which population, and where they go. */
export interface TraceCapture {
  readonly monitor: number;
  readonly population: NeuronPopulation;
  readonly variable: string;
  /** Local neuron range [from, to) and its offset within the monitor's slice. */
  readonly from: number;
  readonly to: number;
  readonly offset: number;
  /** Values of this chunk, step-major: `buffer[stepInChunk * (to − from) + i]`. */
  readonly buffer: Float64Array;
}

/** What a partition's run spent its time on [s], as whoever drives its chunk loop measured it. */
export type PartitionTimes = Pick<PartitionSummary, 'build_s' | 'compute_s' | 'wait_s' | 'advance_s' | 'deliver_s' | 'draw_ahead_s'>;

export class PartitionEngine {
  readonly chunkSteps: number;
  readonly populations: NeuronPopulation[];
  readonly generators: GeneratorSource[];
  readonly traces: TraceCapture[];
  /** Spikes of the last `advance`, sorted by (step, gid). */
  readonly spikes: ChunkSpikes;
  /** Neurons this partition owns. */
  readonly neurons: number;
  /** Synapses held by this partition (neuron and generator projections). */
  readonly synapseCount: number;
  /** Synaptic events delivered from neuron spikes. */
  neuronEvents = 0;
  /** Synaptic events delivered from generators. */
  generatorEvents = 0;
  private readonly offsets: Uint32Array;
  /** Per source population: row deliveries of its projections into local populations, in description order. */
  private readonly outgoing: RowDelivery[][];
  /** Per source population: the prefetch of its rows in those projections, or null where it does not pay. */
  private readonly prefetch: (RowPrefetch | null)[];
  /** The projections delivered in arrival order. */
  private readonly arrivals: ArrivalDelivery;
  /** The step after the last `advance`: the first that the next chunk reads. */
  private nextStep = 0;

  /** `tables`: the partition's synapse tables, when built beforehand with `buildSynapseTables`. */
  constructor(
    readonly description: NetworkDescription,
    readonly plan: PartitionPlan,
    tables: readonly SynapseTable[] = buildSynapseTables(description, plan),
  ) {
    const device = deviceFor(description.platform);
    this.chunkSteps = chunkSteps(description);
    this.offsets = populationOffsets(description);
    // What each projection feeds: a generator current, or synaptic input.
    const currentSources = new Set(description.generators.filter((g) => g.model === 'DCGenerator').map((g) => g.name));
    const receptors = description.projections.map((s): Receptor => (currentSources.has(s.pre) ? 'current' : 'synaptic'));
    const signs = tables.map(weightSigns);
    const pres = description.projections.map((projection) => description.populations.findIndex((p) => p.name === projection.pre));
    const posts = description.projections.map((projection) => description.populations.findIndex((p) => p.name === projection.post));
    const groups = arrivalGroups(description.projections.map((projection, index) => ({
      pre: pres[index], post: posts[index], table: tables[index], sparse: projection.conn_repr !== 'MAT', synaptic: receptors[index] === 'synaptic',
    })));
    // Which projections, and so which populations' synaptic rings, are delivered in arrival order.
    const arrival = description.projections.map(() => false);
    const arrivalRings = description.populations.map(() => false);
    for (const index of groups.flat()) arrival[index] = arrivalRings[posts[index]] = true;
    const ringSlots = ringSlotsOf(description, tables, receptors, signs, arrivalRings, this.chunkSteps);
    this.populations = description.populations.map((p, index) => {
      const { start, stop } = plan.slices[index];
      // Each neuron draws the first value of its own stream; a per-neuron array is indexed by neuron.
      const neurons = Uint32Array.from({ length: stop - start }, (_, n) => start + n);
      const vInit = new Float64Array(stop - start);
      new ValueSampler(p.v_init, description.seed, index, Purpose.init, p.size).fill(neurons, 0, neurons.length, Int32Array.from(neurons), start, neurons.length, vInit);
      const kernel = device.kernels.get(p.model);
      if (!kernel) throw new InternalError(`device ${device.platform} has no kernel for ${p.model}`);
      const currentInput = description.projections.some((s, i) => s.post === p.name && receptors[i] === 'current');
      return kernel({ name: p.name, params: p.params, size: stop - start, gidStart: this.offsets[index] + start, dt: description.dt, ringSlots: ringSlots[index], vInit, currentInput, precision: description.precision });
    });

    this.arrivals = arrivalDelivery(groups.map((members) => members.map((index) => {
      const target = this.populations[posts[index]];
      return { pre: pres[index], table: tables[index], size: target.size, ...signedRings(target, signs[index]) };
    })), description.populations.length);

    this.outgoing = description.populations.map(() => []);
    const rowTables: SynapseTable[][] = description.populations.map(() => []);
    const generatorLinks: GeneratorLink[][] = description.generators.map(() => []);
    let synapses = 0;
    description.projections.forEach((projection, index) => {
      const target = this.populations[posts[index]];
      const table = tables[index];
      synapses += table.count;
      const pre = pres[index];
      if (arrival[index]) return;
      if (pre >= 0) {
        const stored = projection.conn_repr === 'MAT' ? toDense(table, target.size, description.precision) : table;
        this.outgoing[pre].push(rowDelivery(stored, target, 'synaptic', signs[index]));
        if (!('present' in stored)) rowTables[pre].push(stored);
      } else {
        const generator = description.generators.findIndex((g) => g.name === projection.pre);
        const receptor = receptors[index];
        const uniform = receptor === 'synaptic' && table.weights === null && table.delays === null;
        const { ring, slots } = synapticRing(target, signs[index]);
        generatorLinks[generator].push({
          table,
          deliver: rowDelivery(table, target, receptor, signs[index]),
          uniformRing: uniform ? ring : null,
          targetSize: target.size,
          ringSize: slots,
        });
      }
    });
    this.synapseCount = synapses;
    this.prefetch = rowTables.map(rowPrefetch);

    this.generators = description.generators.map((g, index) => {
      const links = generatorLinks[index];
      if (g.model === 'PoissonGenerator') return new PoissonSource(g, index, description.seed, description.dt, links);
      if (g.model === 'DCGenerator') return new DcSource(g, description.dt, links);
      return new SpikeListSource(g, description.dt, links);
    });

    this.neurons = ownedNeurons(plan);
    this.spikes = emptyChunkSpikes(Math.max(1, this.neurons * this.chunkSteps));
    this.traces = this.planTraces();
  }

  private planTraces(): TraceCapture[] {
    const captures: TraceCapture[] = [];
    this.description.monitors.forEach((monitor, index) => {
      if (monitor.attr === 'spike') return;
      const p = this.description.populations.findIndex((q) => q.name === monitor.target);
      const { start, stop } = this.plan.slices[p];
      const [first, last] = monitor.slice ?? [0, this.description.populations[p].size];
      const from = Math.max(first, start);
      const to = Math.min(last, stop);
      if (to <= from) return;
      const buffer = new Float64Array(this.chunkSteps * (to - from));
      captures.push({ monitor: index, population: this.populations[p], variable: monitor.attr, from: from - start, to: to - start, offset: from - first, buffer });
    });
    return captures;
  }

  /** Runs steps [firstStep, firstStep + steps), steps ≤ chunkSteps; spikes land in `this.spikes`. */
  advance(firstStep: number, steps: number): void {
    if (steps > this.chunkSteps) throw new InternalError(`advance(${steps}) exceeds the chunk length ${this.chunkSteps}`);
    const { populations, generators, traces, spikes } = this;
    spikes.count = 0;
    this.nextStep = firstStep + steps;
    let events = 0;
    for (let s = 0; s < steps; s++) {
      const t = firstStep + s;
      for (let g = 0; g < generators.length; g++) events += generators[g].emit(t);
      for (let p = 0; p < populations.length; p++) populations[p].step(t, spikes);
      for (let m = 0; m < traces.length; m++) {
        const trace = traces[m];
        trace.population.read(trace.variable, trace.from, trace.to, trace.buffer, s * (trace.to - trace.from));
      }
    }
    this.generatorEvents += events;
  }

  /**
   * Does a piece (microseconds) of later steps' generator work now; returns false when there is
   * none to do. For a partition that waits for the others' spikes (see `PoissonBank`).
   */
  drawAhead(): boolean {
    const { generators } = this;
    for (let g = 0; g < generators.length; g++) if (generators[g].drawAhead()) return true;
    return false;
  }

  /** How the partition's run went: its size, the events it delivered, and `times`. */
  summary(times: PartitionTimes): PartitionSummary {
    return {
      worker: this.plan.index, neurons: this.neurons, synapses: this.synapseCount, ...times,
      neuron_events: this.neuronEvents, generator_events: this.generatorEvents, native_kernels: nativeKernels() !== null,
    };
  }

  /**
   * Delivers a chunk's spikes of the whole network, which must be in canonical (step, gid) order:
   * through the projections delivered in arrival order, whatever arrives during the next chunk.
   */
  deliver(chunk: ChunkSpikes): void {
    const { offsets, outgoing, prefetch } = this;
    const arrivalSpike = this.arrivals.spike;
    const { gids } = chunk;
    let events = 0;
    // `next` is the spike PREFETCH_AHEAD after the current one, and `nextPop` its population.
    for (let n = 0, pop = 0, nextPop = 0; n < chunk.count; n++) {
      const next = n + PREFETCH_AHEAD;
      if (next < chunk.count) {
        nextPop = populationOf(offsets, gids, next, nextPop);
        prefetch[nextPop]?.(gids[next] - offsets[nextPop]);
      }
      const step = chunk.steps[n];
      const gid = gids[n];
      pop = populationOf(offsets, gids, n, pop);
      const deliveries = outgoing[pop];
      const source = gid - offsets[pop];
      for (let l = 0; l < deliveries.length; l++) events += deliveries[l](source, step, 1);
      const arrival = arrivalSpike[pop];
      if (arrival !== null) events += arrival(source, step);
    }
    this.arrivals.arrive(this.nextStep, this.chunkSteps);
    this.neuronEvents += events;
  }
}

/**
 * The partition's incoming synapses, one table per projection in description order: the bulk of
 * building a partition, and plain data, so it can be built on one thread and used on another.
 * Projections from one source population share their arrays where they can (`groupBySource`).
 */
export function buildSynapseTables(description: NetworkDescription, plan: PartitionPlan, onProgress?: BuildProgress): SynapseTable[] {
  const posts = description.projections.map((projection) => description.populations.findIndex((p) => p.name === projection.post));
  // Progress counts the synapses a projection is expected to hold, so that a large projection
  // moves the fraction as much as it takes time; every projection counts for at least one.
  const expected = description.projections.map((projection, index) => {
    const { start, stop } = plan.slices[posts[index]];
    return 1 + expectedSynapses(projection, sourceSize(description, projection), description.populations[posts[index]].size, stop - start);
  });
  // Then grouping copies the tables that share their arrays.
  const shared = sharedBySource(description);
  const copying = expected.map((n, index) => (shared[index] ? n * COPY_COST : 0));
  const total = [...expected, ...copying].reduce((sum, n) => sum + n, 0);
  let done = 0;
  let fraction = 0;
  const report = (work: number) => {
    done += work;
    fraction = Math.min(1, done / total);
    onProgress?.(fraction);
  };
  const tables = description.projections.map((_, index) => {
    const table = buildProjection(description, index, plan.slices[posts[index]]);
    report(expected[index]);
    return table;
  });
  groupBySource(description, tables, shared, (members) => report(members.reduce((sum, index) => sum + copying[index], 0)));
  // Where fewer tables were copied than foreseen (targets of two index widths, empty tables).
  if (fraction < 1) onProgress?.(1);
  return tables;
}

/**
 * What copying a synapse into its group costs against building it: the full-scale microcircuit's
 * worker builds its 150 M synapses in ≈ 34 s and groups them in ≈ 4 s.
 */
const COPY_COST = 0.12;

/**
 * How many spikes ahead of the one delivered `deliver` asks for rows (Brunel, two workers, three
 * interleaved rounds each: delivery 0.57–0.78 s per worker one spike ahead, 0.60–0.69 s two ahead,
 * 0.61–0.80 s four ahead, 0.83–1.01 s without).
 */
const PREFETCH_AHEAD = 2;

/**
 * The population of spike `n` of a chunk's `gids`, which ascend within each step: searching on from
 * `pop`, the previous spike's, or from the first population where a new step begins.
 */
function populationOf(offsets: Uint32Array, gids: Uint32Array, n: number, pop: number): number {
  const gid = gids[n];
  if (n > 0 && gid < gids[n - 1]) pop = 0;
  while (gid >= offsets[pop + 1]) pop++;
  return pop;
}

/** Called after each projection a partition builds, and each group of tables it copies, with the fraction of its building done so far. */
export type BuildProgress = (fraction: number) => void;
