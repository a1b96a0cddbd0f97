/**
 * Checks, before anything is built, that the network can be held: no worker's table of one
 * projection longer than a typed array can be (2^32 elements), and the workers of one machine
 * together within its memory, or within the limit a container or batch job sets. Without it, such
 * a network ends in a RangeError from deep inside the build, or in a machine that swaps for minutes
 * before it runs out of memory.
 *
 * Counts are those `expectedSynapses` gives for the largest share. Bytes follow what
 * `buildProjection` keeps per synapse (target index, and weight and delay where they vary), or,
 * where it is more, the tables built before a projection with what that projection needs while it
 * is built (`buildingBytes`), or all the tables with the copy of the largest group of them that
 * share their arrays (`groupBySource`).
 * Neurons are counted at what every model keeps at least (`neuronBytes`); in most networks they
 * are small beside the synapses, but not in a large network with few synapses. Each worker adds
 * its thread's own memory (`THREAD_BYTES`). What the run's recorders keep in this process's memory
 * (`Recorder.memoryNeeded`: traces in `MemoryRecorder`) comes on top.
 */
import { ModelError, label } from '../errors.ts';
import { expectedSynapses, keepsIndices, sourceSize } from '../engine/connectivity/buildProjection.ts';
import { MAX_CONNECTIONS } from '../engine/connectivity/connectionList.ts';
import { drawnByRows } from '../engine/connectivity/rules.ts';
import { sharedBySource } from '../engine/connectivity/sourceGroups.ts';
import { targetIndexBytes } from '../engine/connectivity/synapseTable.ts';
import { delayBounds } from '../ir/delayBounds.ts';
import type { NetworkDescription, ProjectionDescription } from '../ir/description.ts';
import { NEURON_MODELS } from '../ir/models.ts';
import { TRACES_ADVICE } from '../monitor/memoryRecorder.ts';
import { formatBytes, machineMemory, MEMORY_SHARE } from '../machineMemory.ts';


/**
 * `partitions`: how many workers share each population; `here`: how many of them run on this
 * machine (0 where they all run elsewhere, as on worker nodes). `recorded`: the bytes the run's
 * recorders keep on this machine (`recordedBytes`); `memory`: its bytes.
 */
export function checkNetworkFits(
  description: NetworkDescription, partitions: number, here: number, { recorded = 0, memory = machineMemory() }: { recorded?: number; memory?: number } = {},
): void {
  let tables = 0;
  let buildPeak = 0;
  let synapses = 0;
  /** Per source population, the bytes of its projections' tables that `groupBySource` copies. */
  const groups = new Map<string, number>();
  const shared = sharedBySource(description);
  /** Bytes of a weight or a ring slot in the network's precision. */
  const numberBytes = description.precision === 'single' ? 4 : 8;
  /** Per target population, the longest delay into it [steps]. */
  const longestDelay = new Map<string, number>();
  for (const [index, projection] of description.projections.entries()) {
    longestDelay.set(projection.post, Math.max(longestDelay.get(projection.post) ?? 0, delayBounds(projection.delay_step)[1]));
    const nPre = sourceSize(description, projection);
    const nPost = description.populations.find((p) => p.name === projection.post)!.size;
    // The largest share: populations split into contiguous slices as even as can be.
    const nLocal = Math.ceil(nPost / partitions);
    const count = expectedSynapses(projection, nPre, nPost, nLocal);
    if (count >= MAX_CONNECTIONS) {
      throw new ModelError('UNSUPPORTED', `${label('StaticSynapse', projection.name)}: a worker would hold ${Math.round(count)} of its synapses, `
        + `more than one table can (${MAX_CONNECTIONS - 1}); spread the network over more workers (--workers, --nodes) or give it fewer synapses`);
    }
    synapses += count;
    const delayBytes = typeof projection.delay_step === 'number' ? 0 : 2;
    const valueBytes = (typeof projection.weight === 'number' ? 0 : numberBytes) + delayBytes;
    const dense = projection.conn_repr === 'MAT' ? nPre * nLocal * (1 + numberBytes + delayBytes) : 0;
    const synapseBytes = count * (targetIndexBytes(nLocal) + valueBytes);
    tables += synapseBytes + (nPre + 1) * 4 + dense;
    if (shared[index]) groups.set(projection.pre, (groups.get(projection.pre) ?? 0) + synapseBytes);
    // Projections are built in order: this one's extra memory comes beside the tables built so far.
    buildPeak = Math.max(buildPeak, tables + count * buildingBytes(projection, nLocal, valueBytes));
  }
  // Grouping copies one source population's tables at a time, beside all the tables.
  const largestGroup = Math.max(0, ...groups.values());
  buildPeak = Math.max(buildPeak, tables + largestGroup);
  let neurons = 0;
  let neuronMemory = 0;
  for (const population of description.populations) {
    const nLocal = Math.ceil(population.size / partitions);
    // Its input ring holds a slot per step of the longest delay into it, and the slot being read.
    const slots = (longestDelay.get(population.name) ?? 0) + 1;
    neurons += nLocal;
    neuronMemory += nLocal * neuronBytes(population.model, slots, numberBytes);
  }
  const threads = here * THREAD_BYTES;
  const needed = here * (Math.max(tables, buildPeak) + neuronMemory) + threads + recorded;
  if (needed > MEMORY_SHARE * memory) {
    const count = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(0)} M` : `${Math.round(n)}`);
    const workers = here === 1 ? '1 worker' : `${here} workers`;
    // A coordinator of worker nodes holds no share of the network, only what its recorders keep.
    const parts = [
      ...(here > 0 ? [`${workers}, ≈ ${count(synapses)} synapses and ${count(neurons)} neurons each`] : []),
      ...(recorded > 0 ? [`${formatBytes(recorded)} of it traces kept in memory`] : []),
    ];
    const advice = recorded > needed / 2
      ? `most of it the traces: ${TRACES_ADVICE}`
      : here > 1 && threads > needed / 2
        ? `most of it the workers' own (≈ ${formatBytes(THREAD_BYTES)} each): run fewer workers`
        : 'give it fewer neurons or synapses, or spread it over several machines (--nodes)';
    throw new ModelError('UNSUPPORTED', `${recorded > 0 ? 'the run' : 'the network'} needs ≈ ${formatBytes(needed)} on this machine (${parts.join('; ')}), `
      + `more than the ${formatBytes(MEMORY_SHARE * memory)} it can give it (${100 * MEMORY_SHARE} % of ${formatBytes(memory)}); ${advice}`);
  }
}

/**
 * What a worker takes beyond its share of the network: its thread's heap and compiled code. Measured
 * on the seed network: the process's peak grew by 10.7 MiB a thread from 2 to 32 workers.
 */
const THREAD_BYTES = 11 * 2 ** 20;

/**
 * Bytes per synapse that building a projection holds beside its table (of `valueBytes` of weight
 * and delay per synapse): for a rule drawn row by row (`drawnByRows`), a second copy of its targets
 * as they are trimmed; for any other, the connection list being sorted into the table (source and
 * target, and positions where kept) and the weights and delays drawn in the list's order.
 */
function buildingBytes(projection: ProjectionDescription, nLocal: number, valueBytes: number): number {
  return drawnByRows(projection.conn) ? targetIndexBytes(nLocal) : 8 + (keepsIndices(projection) ? 4 : 0) + valueBytes;
}

/**
 * Bytes a neuron of `model` takes at least: 8 for each recordable variable, its generator current
 * and its initial V while it is built, 4 for its refractory count, and `slotBytes` per slot of one
 * input ring.
 */
function neuronBytes(model: string, slots: number, slotBytes: number): number {
  return 8 * (NEURON_MODELS[model].variables.length + 2) + 4 + slotBytes * slots;
}
