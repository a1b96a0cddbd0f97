/**
 * A worker node: a gRPC server that serves runs one after another. For each run it checks the
 * caller's token and protocol version, builds the partitions it is told to host from the
 * description, then follows the chunk loop the coordinator drives over one bidirectional stream:
 *
 *   advance its partitions one chunk → send their spikes (and any finished monitor batch) →
 *   receive every partition's spikes in canonical order → deliver → next chunk
 *
 * If the coordinator vanishes the node drops the run's state and waits for the next.
 */
import { Server, ServerCredentials, status, type ServerDuplexStream } from '@grpc/grpc-js';
import { timingSafeEqual } from 'node:crypto';
import { PartitionEngine } from '../src/engine/partitionEngine.ts';
import { mergeSpikes } from '../src/engine/mergeSpikes.ts';
import { emptyChunkSpikes, type ChunkSpikes } from '../src/engine/population.ts';
import { normalizeDescription } from '../src/ir/normalize.ts';
import { ModelError } from '../src/errors.ts';
import { MonitorBatcher } from '../src/exchange/monitorBatcher.ts';
import type { MonitorBatch } from '../src/exchange/messages.ts';
import type { PartitionPlan } from '../src/engine/layout.ts';
import {
  MAX_MESSAGE_BYTES, PROTOCOL_VERSION, bytes, int32s, toWire, uint32s, workerNodeService,
  type CoordinatorMessage, type NodeMessage, type StartMessage, type WirePartitionSummary,
} from '../src/exchange/grpcContract.ts';

export interface NodeOptions {
  /** host:port to bind; port 0 picks a free one. */
  readonly listen: string;
  readonly token: string;
  readonly tls?: { cert: Buffer; key: Buffer };
  readonly log?: (line: string) => void;
}

export interface RunningNode {
  readonly address: string;
  close(): Promise<void>;
}

type Call = ServerDuplexStream<CoordinatorMessage, NodeMessage>;

export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const log = options.log ?? ((line: string) => console.error(line));
  const server = new Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  // One run at a time: a node's partitions use all of its cores.
  const slot = { busy: false };
  server.addService(workerNodeService, { Run: (call: Call) => serveRun(call, options.token, slot, log) });
  const credentials = options.tls ? ServerCredentials.createSsl(null, [{ cert_chain: options.tls.cert, private_key: options.tls.key }], false) : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(options.listen, credentials, (error, p) => (error ? reject(error) : resolve(p))));
  const host = options.listen.slice(0, options.listen.lastIndexOf(':'));
  return {
    address: `${host}:${port}`,
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

function authorised(call: Call, token: string): boolean {
  const given = String(call.metadata.get('authorization')[0] ?? '');
  const expected = `Bearer ${token}`;
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function serveRun(call: Call, token: string, slot: { busy: boolean }, log: (line: string) => void): void {
  const peer = call.getPeer();
  if (!authorised(call, token)) {
    log(`refused ${peer}: missing or wrong token`);
    call.emit('error', { code: status.UNAUTHENTICATED, details: 'missing or wrong cluster token' });
    return;
  }
  let run: NodeRun | null = null;
  const finish = () => {
    if (run) slot.busy = false;
    run = null;
  };
  const fail = (code: status, details: string) => {
    log(`run from ${peer} ended: ${details}`);
    finish();
    call.emit('error', { code, details });
  };
  call.on('data', (message: CoordinatorMessage) => {
    try {
      if (message.kind === 'start') {
        if (run) return fail(status.FAILED_PRECONDITION, 'a run was already started on this stream');
        if (slot.busy) return fail(status.UNAVAILABLE, 'this node is busy with another run');
        if (message.start.protocol !== PROTOCOL_VERSION) {
          return fail(status.FAILED_PRECONDITION, `protocol version ${message.start.protocol} from the coordinator, this node speaks ${PROTOCOL_VERSION}; use the same spikegrid version on both`);
        }
        run = new NodeRun(message.start, (m) => call.write(m));
        slot.busy = true;
        log(`run from ${peer}: partitions ${message.start.hosted.join(', ')} of ${message.start.partitions}, ${message.start.steps} steps`);
        run.start();
      } else if (message.kind === 'spikes' && run) {
        if (run.deliver(message.spikes.chunk, int32s(message.spikes.steps), uint32s(message.spikes.gids))) {
          call.end();
          finish();
        }
      } else {
        fail(status.INVALID_ARGUMENT, 'a message out of order: the stream must start with Start');
      }
    } catch (error) {
      // A description that does not check out, or garbage, is the caller's error, not ours.
      const callerError = error instanceof ModelError || error instanceof SyntaxError;
      fail(callerError ? status.INVALID_ARGUMENT : status.INTERNAL, (error as Error).message);
    }
  });
  // A coordinator that vanished: drop the run; the next call starts afresh.
  const drop = () => {
    if (run) log(`coordinator ${peer} went away; run dropped`);
    finish();
  };
  call.on('cancelled', drop);
  call.on('error', drop);
  call.on('end', drop);
}

/** One run on this node: its partitions and where the chunk loop stands. */
class NodeRun {
  private readonly engines: PartitionEngine[];
  private readonly batchers: MonitorBatcher[];
  private readonly pending: MonitorBatch[] = [];
  private readonly build: number[];
  private readonly L: number;
  private readonly own: ChunkSpikes;
  private chunk = 0;
  private compute = 0;
  private wait = 0;
  private sentAt = 0;

  constructor(
    private readonly start_: StartMessage,
    private readonly send: (message: NodeMessage) => void,
  ) {
    const description = normalizeDescription(JSON.parse(start_.description_json));
    const plans = JSON.parse(start_.plans_json) as PartitionPlan[];
    this.build = [];
    this.engines = plans.map((plan) => {
      const t0 = performance.now();
      const engine = new PartitionEngine(description, plan);
      this.build.push((performance.now() - t0) / 1000);
      return engine;
    });
    this.batchers = this.engines.map((engine, i) => new MonitorBatcher(engine, start_.chunks_per_batch, start_.hosted[i], (b) => this.pending.push(b)));
    this.L = this.engines[0]?.chunkSteps ?? 1;
    const local = this.engines.reduce((n, e) => n + e.populations.reduce((m, p) => m + p.size, 0), 0);
    this.own = emptyChunkSpikes(Math.max(1, local * this.L));
  }

  start(): void {
    this.send({
      kind: 'ready',
      ready: { partitions: this.engines.map((e, i) => ({ partition: this.start_.hosted[i], neurons: neurons(e), synapses: e.synapseCount, build_s: this.build[i] })) },
    });
    this.advance();
  }

  /** Advances every hosted partition one chunk and sends their spikes. */
  private advance(): void {
    const t0 = performance.now();
    const first = this.chunk * this.L;
    const n = Math.min(this.L, this.start_.steps - first);
    for (const engine of this.engines) engine.advance(first, n);
    mergeSpikes(this.engines.map((e) => e.spikes), this.own);
    this.batchers.forEach((b) => b.add(first, n));
    if (first + n >= this.start_.steps) this.batchers.forEach((b) => b.flush());
    this.send({ kind: 'spikes', spikes: { chunk: this.chunk, steps: bytes(this.own.steps.subarray(0, this.own.count)), gids: bytes(this.own.gids.subarray(0, this.own.count)), monitors: this.pending.splice(0).map(toWire) } });
    this.sentAt = performance.now();
    this.compute += this.sentAt - t0;
  }

  /** Delivers the merged spikes of `chunk`; returns true when the run is over. */
  deliver(chunk: number, steps: Int32Array, gids: Uint32Array): boolean {
    if (chunk !== this.chunk) throw new Error(`spikes for chunk ${chunk} arrived while at chunk ${this.chunk}`);
    const t0 = performance.now();
    this.wait += t0 - this.sentAt;
    const merged = { steps, gids, count: steps.length };
    for (const engine of this.engines) engine.deliver(merged);
    this.chunk++;
    this.compute += performance.now() - t0;
    if (this.chunk * this.L >= this.start_.steps) {
      this.send({ kind: 'summary', summary: { partitions: this.engines.map((e, i) => this.summary(e, i)) } });
      return true;
    }
    this.advance();
    return false;
  }

  private summary(engine: PartitionEngine, i: number): WirePartitionSummary {
    const share = 1 / this.engines.length;
    return {
      partition: this.start_.hosted[i], neurons: neurons(engine), synapses: engine.synapseCount, build_s: this.build[i],
      compute_s: (this.compute * share) / 1000, wait_s: this.wait / 1000,
      neuron_events: engine.neuronEvents, generator_events: engine.generatorEvents,
    };
  }
}

function neurons(engine: PartitionEngine): number {
  return engine.populations.reduce((n, p) => n + p.size, 0);
}
