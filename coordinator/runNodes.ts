/**
 * A run spread over worker nodes by gRPC: one bidirectional stream per node. The coordinator
 * gathers each chunk's spikes from every node, merges them into canonical order and sends the
 * merged list back to all — the same arithmetic as on threads or in one process. A node that fails,
 * drops its stream or stays silent past the deadline ends the run with an error naming it.
 */
import { Metadata, credentials, status, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { chunkSteps } from '../src/engine/timing.ts';
import { mergeSpikes } from '../src/engine/mergeSpikes.ts';
import { emptyChunkSpikes } from '../src/engine/population.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import { checkHostPort } from '../src/cli/hostPort.ts';
import { fail, requireString } from '../src/ir/checks.ts';
import { checkNetworkFits } from '../src/run/networkFits.ts';
import { recordedBytes } from '../src/monitor/recorder.ts';
import { checkSteps } from '../src/run/runLocal.ts';
import type { PartitionSummary } from '../src/exchange/messages.ts';
import {
  MAX_MESSAGE_BYTES, PROTOCOL_VERSION, WorkerNodeClient, bytes, fromWire, int32s, uint32s,
  type CoordinatorMessage, type NodeMessage,
} from '../src/exchange/grpcContract.ts';
import type { NodeRunOptions, NodeRunStats } from '../src/run/runners.ts';
import { NodeError } from './nodeError.ts';
import { RunCollector } from './runCollector.ts';
import { planPartitions } from './planPartitions.ts';

/** What a program may get wrong in `runNodes`'s options (the command line checks its own first). */
function checkOptions(options: NodeRunOptions): void {
  if (!Array.isArray(options.nodes) || options.nodes.length === 0) fail('runNodes', 'nodes', 'a list of at least one HOST:PORT', options.nodes);
  for (const node of options.nodes) checkHostPort(node, 'runNodes: nodes:');
  requireString('runNodes', 'token', options.token, "the cluster's token");
  checkSteps('runNodes', options.steps);
  if (options.deadlineMs !== undefined && !(options.deadlineMs > 0)) fail('runNodes', 'deadlineMs', '> 0', options.deadlineMs);
}

export async function runNodes(description: NetworkDescription, options: NodeRunOptions): Promise<NodeRunStats> {
  checkOptions(options);
  const { nodes, steps } = options;
  const deadline = options.deadlineMs ?? 30000;
  const L = chunkSteps(description);
  const chunks = Math.ceil(steps / L);
  const streams = nodes.map((address) => new NodeStream(address, options.token, options.tlsCa, deadline));
  let sentBytes = 0;
  try {
    // Each node says how many partitions it hosts (its threads); the plan covers them all.
    for (const stream of streams) stream.write({ kind: 'hello', hello: { protocol: PROTOCOL_VERSION } });
    const threads = await Promise.all(streams.map(async (s) => {
      const reply = await s.next('welcome', -1);
      const { protocol, threads } = reply.kind === 'welcome' ? reply.welcome : { protocol: 0, threads: 0 };
      if (protocol !== PROTOCOL_VERSION) throw new NodeError(s.address, -1, `node ${s.address} speaks protocol version ${protocol}, this coordinator ${PROTOCOL_VERSION}; use the same spikegrid version on both`);
      if (!(threads >= 1)) throw new NodeError(s.address, -1, `node ${s.address} offers no threads`);
      return threads;
    }));
    const partitions = threads.reduce((n, t) => n + t, 0);
    // Each node checks its own memory when the run starts; here what no machine can hold, and what the recorders keep here.
    checkNetworkFits(description, partitions, 0, { recorded: recordedBytes(options.recorders ?? [], { description, steps }) });
    const plans = planPartitions(description, partitions);
    const collector = new RunCollector(description, partitions, steps, options);
    streams.forEach((stream, node) => {
      const first = threads.slice(0, node).reduce((n, t) => n + t, 0);
      const hosted = plans.slice(first, first + threads[node]);
      stream.onBuilding = (fraction) => hosted.forEach((plan) => collector.building(plan.index, fraction));
      stream.write({
        kind: 'start',
        start: {
          protocol: PROTOCOL_VERSION, description_json: JSON.stringify(description), partitions, hosted: hosted.map((p) => p.index),
          plans_json: JSON.stringify(hosted), steps, chunks_per_batch: Math.max(1, Math.ceil((options.batchSteps ?? 1000) / L)),
        },
      });
    });
    await Promise.all(streams.map((s) => s.next('ready', -1)));
    plans.forEach((plan) => collector.building(plan.index, 1));
    let merged = emptyChunkSpikes(1024);
    for (let chunk = 0; chunk < chunks; chunk++) {
      // Every node's spikes of this chunk, merged and sent back to all before anyone goes on.
      const replies = await Promise.all(streams.map((s) => s.next('spikes', chunk)));
      const lists = replies.map((r) => {
        if (r.kind !== 'spikes' || r.spikes.chunk !== chunk) throw new Error('unreachable');
        for (const batch of r.spikes.monitors) collector.add(fromWire(batch));
        const ids = uint32s(r.spikes.gids);
        return { steps: int32s(r.spikes.steps), gids: ids, count: ids.length };
      });
      // A recorder that cannot write (a full disk, say) ends the run; closing the streams releases the nodes.
      collector.throwIfFailed();
      const total = lists.reduce((n, l) => n + l.count, 0);
      if (total > merged.steps.length) merged = emptyChunkSpikes(total * 2);
      mergeSpikes(lists, merged);
      const message: CoordinatorMessage = { kind: 'spikes', spikes: { chunk, steps: bytes(merged.steps.subarray(0, merged.count)), gids: bytes(merged.gids.subarray(0, merged.count)) } };
      for (const stream of streams) stream.write(message);
      sentBytes += 8 * merged.count * streams.length;
    }
    const summaries = await Promise.all(streams.map((s) => s.next('summary', chunks)));
    for (const s of summaries) if (s.kind === 'summary') s.summary.monitors.forEach((batch) => collector.add(fromWire(batch)));
    const perPartition: PartitionSummary[] = summaries
      .flatMap((s) => (s.kind === 'summary' ? s.summary.partitions : []))
      .map(({ partition, ...rest }) => ({ worker: partition, ...rest }));
    return { ...(await collector.finish(perPartition)), bytes_per_chunk: chunks ? sentBytes / chunks : 0 };
  } finally {
    for (const stream of streams) stream.close();
  }
}

/** One node's stream: writes, and awaits the next message with a deadline. */
class NodeStream {
  private readonly call: ClientDuplexStream<CoordinatorMessage, NodeMessage>;
  private readonly client: InstanceType<typeof WorkerNodeClient>;
  private readonly queue: NodeMessage[] = [];
  private waiter: { resolve: (m: NodeMessage) => void; reject: (e: Error) => void; alive: () => void } | null = null;
  private failure: Error | null = null;
  private chunk = -1;
  /** Hears how far the node has built, from the messages that keep it alive while it builds. */
  onBuilding: ((fraction: number) => void) | null = null;

  constructor(
    readonly address: string,
    token: string,
    tlsCa: Buffer | undefined,
    private readonly deadline: number,
  ) {
    const channel = tlsCa ? credentials.createSsl(tlsCa) : credentials.createInsecure();
    this.client = new WorkerNodeClient(address, channel, { 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    this.call = (this.client as unknown as { Run(m: Metadata): ClientDuplexStream<CoordinatorMessage, NodeMessage> }).Run(metadata);
    let heard = false;
    this.call.on('data', (message: NodeMessage) => {
      heard = true;
      this.push(message);
    });
    this.call.on('error', (error: ServiceError) => {
      const reason = `${error.details || error.message} (${status[error.code] ?? error.code})`;
      // grpc-js's own words when no connection came about; a node that turns a run away says more.
      if (!heard && error.code === status.UNAVAILABLE && /^No connection established|^Name resolution failed/.test(error.details)) {
        this.fail(`node ${address} could not be reached: ${reason}; is \`spikegrid worker --listen ${address}\` running there?`);
        return;
      }
      const where = this.chunk < 0 ? 'refused the run' : `ended the run at chunk ${this.chunk}`;
      this.fail(`node ${address} ${where}: ${reason}`);
    });
    this.call.on('end', () => this.fail(`node ${address} closed its stream at chunk ${this.chunk}`));
  }

  write(message: CoordinatorMessage): void {
    this.call.write(message);
  }

  /** The next message, which must be of `kind`; `chunk` names where the run stands in errors. */
  next(kind: NodeMessage['kind'], chunk: number): Promise<NodeMessage> {
    this.chunk = chunk;
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(this.expect(queued, kind));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.waiter = null;
          reject(new NodeError(this.address, chunk, `node ${this.address} sent nothing for ${this.deadline / 1000} s ${chunk < 0 ? 'before the first chunk' : `at chunk ${chunk}`}`));
        }, this.deadline);
      };
      arm();
      this.waiter = {
        resolve: (m) => (clearTimeout(timer), resolve(this.expect(m, kind))),
        reject: (e) => (clearTimeout(timer), reject(e)),
        alive: arm,
      };
    });
  }

  private expect(message: NodeMessage, kind: NodeMessage['kind']): NodeMessage {
    if (message.kind !== kind) throw new NodeError(this.address, this.chunk, `node ${this.address} sent ${message.kind} where ${kind} was due (chunk ${this.chunk})`);
    return message;
  }

  private push(message: NodeMessage): void {
    // A node that is still building is alive: its silence deadline starts again.
    if (message.kind === 'building') {
      this.onBuilding?.(message.building.fraction);
      return this.waiter?.alive();
    }
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter.resolve(message);
    else this.queue.push(message);
  }

  private fail(message: string): void {
    if (this.failure) return;
    this.failure = new NodeError(this.address, this.chunk, message);
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(this.failure);
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }
}
