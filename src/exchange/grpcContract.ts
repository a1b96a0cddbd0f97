/**
 * The gRPC contract (`proto/spikegrid.proto`) as both sides load it, its protocol version, and the
 * conversions between typed arrays and the `bytes` fields that carry them.
 */
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { MonitorBatch, PartitionBuilt, PartitionSummary } from './messages.ts';

/** Coordinator and node must speak the same version; either refuses the other otherwise. */
export const PROTOCOL_VERSION = 2;

/** How often a node that is building its partitions says so [ms]. */
export const BUILDING_INTERVAL_MS = 1000;

/** Largest message either side accepts [bytes]; spikes of one chunk of a large network fit. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

const definition = loadSync(fileURLToPath(new URL('../../proto/spikegrid.proto', import.meta.url)), {
  keepCase: true,
  longs: Number,
  defaults: true,
  oneofs: true,
});
const loaded = loadPackageDefinition(definition) as unknown as { spikegrid: { v1: GrpcObject & { WorkerNode: ServiceClientConstructor } } };

export const WorkerNodeClient = loaded.spikegrid.v1.WorkerNode;
export const workerNodeService: ServiceDefinition = WorkerNodeClient.service;

export interface StartMessage {
  protocol: number;
  description_json: string;
  partitions: number;
  hosted: number[];
  plans_json: string;
  steps: number;
  chunks_per_batch: number;
}

export interface ChunkSpikesMessage {
  chunk: number;
  steps: Buffer;
  gids: Buffer;
}

export interface WireMonitorBatch {
  partition: number;
  first_step: number;
  steps: number;
  spike_steps: Buffer;
  spike_gids: Buffer;
  traces: Array<{ monitor: number; offset: number; width: number; values: Buffer }>;
}

export type CoordinatorMessage =
  | { kind: 'hello'; hello: { protocol: number } }
  | { kind: 'start'; start: StartMessage }
  | { kind: 'spikes'; spikes: ChunkSpikesMessage };
export type NodeMessage =
  | { kind: 'welcome'; welcome: { protocol: number; threads: number } }
  | { kind: 'building'; building: { elapsed_s: number; fraction: number } }
  | { kind: 'ready'; ready: { partitions: PartitionBuilt[] } }
  | { kind: 'spikes'; spikes: ChunkSpikesMessage & { monitors: WireMonitorBatch[] } }
  | { kind: 'summary'; summary: { partitions: WirePartitionSummary[]; monitors: WireMonitorBatch[] } };

export type WirePartitionSummary = Omit<PartitionSummary, 'worker'> & { partition: number };

/** A typed array's bytes, without copying. */
export function bytes(array: Int32Array | Uint32Array | Float64Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Copies `bytes` into a fresh, aligned buffer. */
function aligned(buffer: Buffer): ArrayBuffer {
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return copy.buffer;
}

export function int32s(buffer: Buffer): Int32Array {
  return new Int32Array(aligned(buffer));
}

export function uint32s(buffer: Buffer): Uint32Array {
  return new Uint32Array(aligned(buffer));
}

export function float64s(buffer: Buffer): Float64Array {
  return new Float64Array(aligned(buffer));
}

export function toWire(batch: MonitorBatch): WireMonitorBatch {
  return {
    partition: batch.worker,
    first_step: batch.firstStep,
    steps: batch.steps,
    spike_steps: bytes(batch.spikeSteps),
    spike_gids: bytes(batch.spikeGids),
    traces: batch.traces.map((t) => ({ monitor: t.monitor, offset: t.offset, width: t.width, values: bytes(t.values) })),
  };
}

export function fromWire(batch: WireMonitorBatch): MonitorBatch {
  return {
    worker: batch.partition,
    firstStep: batch.first_step,
    steps: batch.steps,
    spikeSteps: int32s(batch.spike_steps),
    spikeGids: uint32s(batch.spike_gids),
    traces: batch.traces.map((t) => ({ monitor: t.monitor, offset: t.offset, width: t.width, values: float64s(t.values) })),
  };
}
