/**
 * One run on a worker node, hosting one or more partitions. The first runs on the node's main
 * thread, beside the gRPC stream; each other one on its own thread of a piscina pool. Per chunk:
 *
 *   main and threads advance → the threads share their spikes (shared memory) → main merges them
 *   with its own and sends them up → the coordinator's merged spikes of all partitions come back →
 *   main hands them to the threads → everyone delivers
 *
 * Keeping one partition on the main thread spares a node of one thread the hand-over to another
 * thread and back in every chunk. Its synapses are built on a thread too and moved over, so the
 * stream stays served (and says it is building) however long building takes.
 *
 * A partition that fails ends the run with an error naming it and the step; a run that is
 * dropped (the coordinator went away) stops its threads and frees their memory. The threads are
 * the node's warm pool (`threadPool.ts`), which the run takes down when it ends.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { emptyChunkSpikes, type ChunkSpikes } from '../src/engine/population.ts';
import { ownedNeurons, totalNeurons, type PartitionPlan } from '../src/engine/layout.ts';
import type { SynapseTable } from '../src/engine/connectivity/synapseTable.ts';
import { PartitionEngine } from '../src/engine/partitionEngine.ts';
import { chunkSteps } from '../src/engine/timing.ts';
import { ModelError } from '../src/errors.ts';
import type { NetworkDescription } from '../src/ir/description.ts';
import { checkNetworkFits } from '../src/run/networkFits.ts';
import { normalizeDescription } from '../src/ir/normalize.ts';
import { PEER_ABORTED } from '../src/exchange/barrier.ts';
import {
  BUILDING_INTERVAL_MS, bytes, toWire, type NodeMessage, type StartMessage, type WireMonitorBatch, type WirePartitionSummary,
} from '../src/exchange/grpcContract.ts';
import type { PartitionBuilt, PartitionSummary, ThreadMessage } from '../src/exchange/messages.ts';
import { MonitorBatcher } from '../src/exchange/monitorBatcher.ts';
import { RelayNodeSide, relayBuffers, type RelayBuffers } from '../src/exchange/nodeRelay.ts';
import { DrawAhead, PartitionFailure, PartitionRun, type InjectedFailure } from './partitionRun.ts';
import type { NodePartitionTask } from './partitionThread.ts';
import type { TableTask } from './tableBuilder.ts';

export interface NodeRunEvents {
  send(message: NodeMessage): void;
  /** The run ended well and its threads are gone; `summary` is its last message. */
  done(summary: NodeMessage): void;
  /** The run failed; `error.message` names the partition and step. */
  fail(error: Error): void;
}

export interface NodeRunOptions {
  /** Most partitions this node hosts: one on the main thread, the others on threads of their own. */
  readonly threads: number;
  /** For tests of failure handling: this partition throws, or its thread exits, at the chunk that starts at `step`. */
  readonly injectFailure?: InjectedFailure & { readonly partition: number };
}

type Delivery = { chunk: number; steps: Int32Array; gids: Uint32Array };

export class NodeRun {
  private readonly description: NetworkDescription;
  private readonly start: StartMessage;
  private readonly plans: readonly PartitionPlan[];
  private readonly relay: RelayNodeSide;
  private readonly relayMemory: RelayBuffers;
  private readonly merged: ChunkSpikes;
  private readonly chunks: number;
  private pool: Piscina | null = null;
  private tasks: Promise<void>[] = [];
  private readonly launched: Promise<void>;
  private stopped: Promise<void> | null = null;
  private readonly built = new Map<number, PartitionBuilt>();
  /** Per hosted partition, the fraction of its synapses built so far. */
  private readonly buildProgress = new Map<number, number>();
  private readonly summaries = new Map<number, WirePartitionSummary>();
  private readonly monitors: WireMonitorBatch[] = [];
  /** Resolves the wait for the thread message that completes a phase (all built, all done). */
  private phase: { complete: () => boolean; resolve: () => void } | null = null;
  private delivery: Delivery | null = null;
  private deliveryWaiter: (() => void) | null = null;
  private ended = false;
  private building: NodeJS.Timeout;

  /** Throws `ModelError` for a description or plan that does not check out. */
  constructor(
    start: StartMessage,
    private readonly options: NodeRunOptions,
    private readonly events: NodeRunEvents,
    /** The node's warm thread pool for this run; the run destroys it when it ends. */
    pool: Promise<Piscina>,
  ) {
    this.start = start;
    this.description = normalizeDescription(JSON.parse(start.description_json));
    this.plans = checkedPlans(JSON.parse(start.plans_json), start, this.description, options.threads);
    checkNetworkFits(this.description, start.partitions, this.plans.length);
    const L = chunkSteps(this.description);
    this.relayMemory = relayBuffers(this.plans.slice(1).map((plan) => ownedNeurons(plan) * L), totalNeurons(this.description) * L);
    this.relay = new RelayNodeSide(this.relayMemory);
    this.merged = emptyChunkSpikes(Math.max(1, this.plans.reduce((n, plan) => n + ownedNeurons(plan), 0) * L));
    this.chunks = Math.ceil(start.steps / L);
    // From Start until Ready — waiting for threads, building — the node says it is alive: at once,
    // so that the coordinator's silence deadline does not also have to cover taking the run on,
    // then every interval.
    const began = performance.now();
    const sayBuilding = () => {
      const fraction = this.plans.reduce((sum, plan) => sum + (this.buildProgress.get(plan.index) ?? 0), 0) / this.plans.length;
      this.events.send({ kind: 'building', building: { elapsed_s: (performance.now() - began) / 1000, fraction } });
    };
    sayBuilding();
    this.building = setInterval(sayBuilding, BUILDING_INTERVAL_MS);
    this.launched = pool.then(
      (ready) => {
        this.pool = ready;
        if (this.ended) return;
        this.startThreads(ready);
        this.drive().catch((error: unknown) => void this.fail(error as Error));
      },
      (error: Error) => void this.fail(new Error(`the node's threads did not start: ${error.message}`)),
    );
  }

  /** The merged spikes of every partition for `chunk`, from the coordinator. */
  deliver(chunk: number, steps: Int32Array, gids: Uint32Array): void {
    if (this.delivery) throw new ModelError('INVALID_VALUE', `spikes for chunk ${chunk} arrived before chunk ${this.delivery.chunk} was delivered`);
    this.delivery = { chunk, steps, gids };
    this.deliveryWaiter?.();
  }

  /** Drops the run (if still going); resolves once its threads are gone and their memory free. */
  stop(): Promise<void> {
    this.ended = true;
    clearInterval(this.building);
    this.relay.abort();
    this.phase?.resolve();
    this.stopped ??= this.launched.then(() => this.pool?.destroy());
    return this.stopped;
  }

  /** A thread for each partition after the first (and one to build the first's synapses). */
  private startThreads(pool: Piscina): void {
    const threaded = this.plans.slice(1);
    this.tasks = threaded.map((plan, thread) => {
      const { port1, port2 } = new MessageChannel();
      // port1 closes by itself once the thread has closed its end, after its last message.
      port1.on('message', (message: ThreadMessage) => this.fromThread(message));
      const task: NodePartitionTask = {
        description: this.description, plan, thread, steps: this.start.steps, chunksPerBatch: this.start.chunks_per_batch,
        relay: this.relayMemory, port: port2, injectFailure: this.failureFor(plan),
      };
      const run = pool.run(task, { name: 'runNodePartition', transferList: [port2] }) as Promise<void>;
      run.catch(() => void this.fail(null));
      return run;
    });
  }

  private async drive(): Promise<void> {
    let main: PartitionRun;
    try {
      main = await this.buildMain();
      await this.until(() => this.built.size === this.plans.length || this.ended);
    } finally {
      clearInterval(this.building);
    }
    if (this.ended) return;
    this.events.send({ kind: 'ready', ready: { partitions: this.plans.map((plan) => this.built.get(plan.index)!) } });

    const drawing = new DrawAhead(main.engine);
    for (let chunk = 0; chunk < this.chunks; chunk++) {
      main.advance(chunk);
      await this.relay.arrivals(chunk);
      const t0 = performance.now();
      this.relay.collect(chunk, main.engine.spikes, this.merged);
      const { steps, gids, count } = this.merged;
      this.events.send({ kind: 'spikes', spikes: { chunk, steps: bytes(steps.subarray(0, count)), gids: bytes(gids.subarray(0, count)), monitors: this.monitors.splice(0) } });
      const sending = performance.now() - t0;
      const delivery = await this.nextDelivery(drawing.piece);
      if (delivery.chunk !== chunk) throw new ModelError('INVALID_VALUE', `spikes for chunk ${delivery.chunk} arrived while at chunk ${chunk}`);
      this.relay.release(chunk, delivery.steps, delivery.gids);
      main.deliver({ steps: delivery.steps, gids: delivery.gids, count: delivery.steps.length }, sending, drawing.spent());
    }

    this.summaries.set(main.partition, wireSummary(main.summary()));
    // Each thread's summary follows its last monitor batch on the same port.
    await this.until(() => this.summaries.size === this.plans.length || this.ended);
    if (this.ended) return;
    const summary: NodeMessage = { kind: 'summary', summary: { partitions: this.plans.map((plan) => this.summaries.get(plan.index)!), monitors: this.monitors.splice(0) } };
    await this.stop();
    this.events.done(summary);
  }

  /** Builds the main thread's partition: its synapses on a thread, the rest here. */
  private async buildMain(): Promise<PartitionRun> {
    const plan = this.plans[0];
    const t0 = performance.now();
    const { port1, port2 } = new MessageChannel();
    const tables = new Promise<SynapseTable[]>((resolve) => port1.on('message', (message: ThreadMessage | SynapseTable[]) => {
      if (Array.isArray(message)) resolve(message);
      else this.fromThread(message);
    }));
    const task: TableTask = { description: this.description, plan, port: port2 };
    await this.pool!.run(task, { name: 'buildTables', transferList: [port2] }).catch((error: Error) => {
      throw new PartitionFailure(plan.index, 0, error);
    });
    const engine = new PartitionEngine(this.description, plan, await tables);
    port1.close();
    const build_s = (performance.now() - t0) / 1000;
    this.built.set(plan.index, { partition: plan.index, neurons: engine.neurons, synapses: engine.synapseCount, build_s });
    const batcher = new MonitorBatcher(engine, this.start.chunks_per_batch, plan.index, (batch) => this.monitors.push(toWire(batch)));
    return new PartitionRun(engine, batcher, this.start.steps, build_s, this.failureFor(plan));
  }

  private failureFor(plan: PartitionPlan): InjectedFailure | undefined {
    return this.options.injectFailure?.partition === plan.index ? this.options.injectFailure : undefined;
  }

  private fromThread(message: ThreadMessage): void {
    if (message.kind === 'building') {
      this.buildProgress.set(message.partition, message.fraction);
    } else if (message.kind === 'built') {
      const { kind: _, ...built } = message;
      this.built.set(message.partition, built);
    } else if (message.kind === 'batch') {
      this.monitors.push(toWire(message.batch));
    } else {
      this.summaries.set(message.summary.worker, wireSummary(message.summary));
    }
    if (this.phase?.complete()) this.phase.resolve();
  }

  private until(complete: () => boolean): Promise<void> {
    if (complete()) return Promise.resolve();
    return new Promise((resolve) => (this.phase = { complete, resolve }));
  }

  /**
   * The coordinator's spikes of the next chunk. Until they come, `idle` does later work a piece
   * at a time, with the event loop (and so the stream) served between pieces.
   */
  private nextDelivery(idle: () => boolean): Promise<Delivery> {
    return new Promise((resolve) => {
      const take = () => {
        this.deliveryWaiter = null;
        const delivery = this.delivery!;
        this.delivery = null;
        resolve(delivery);
      };
      if (this.delivery) return take();
      this.deliveryWaiter = take;
      const work = () => {
        if (this.deliveryWaiter === take && idle()) setImmediate(work);
      };
      setImmediate(work);
    });
  }

  /**
   * Ends the run after a failure, reporting the partition that failed first rather than those it
   * released, or `error` when none failed on its own.
   */
  private async fail(error: Error | null): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.relay.abort();
    const settled = await Promise.allSettled(this.tasks);
    const failed = settled.flatMap((s, thread) => (s.status === 'rejected' ? [{ thread, reason: s.reason as Error }] : []));
    const cause = failed.find((f) => !String(f.reason?.message).includes(PEER_ABORTED));
    await this.stop();
    if (cause) {
      const partition = this.plans[cause.thread + 1].index;
      const message = cause.reason.message.startsWith(`worker ${partition} failed`)
        ? cause.reason.message
        : `worker ${partition} stopped at step ${this.relay.progress(cause.thread)}: ${cause.reason.message}`;
      this.events.fail(new Error(message));
    } else {
      this.events.fail(error ?? new Error(PEER_ABORTED));
    }
  }
}

function wireSummary({ worker, ...rest }: PartitionSummary): WirePartitionSummary {
  return { partition: worker, ...rest };
}

/** The plans of the partitions this node is asked to host, checked against the description. */
function checkedPlans(plans: unknown, start: StartMessage, description: NetworkDescription, threads: number): PartitionPlan[] {
  const bad = (why: string) => new ModelError('INVALID_VALUE', `Start.plans_json: ${why}`);
  if (!Array.isArray(plans) || plans.length === 0) throw bad('must list at least one partition plan');
  if (plans.length > threads) throw bad(`asks this node to host ${plans.length} partitions; it hosts at most ${threads} (--threads)`);
  if (plans.length !== start.hosted.length) throw bad(`${plans.length} plans for ${start.hosted.length} hosted partitions`);
  plans.forEach((plan: PartitionPlan, i) => {
    if (plan?.index !== start.hosted[i] || !(plan.index < start.partitions)) throw bad(`plan ${i} is not for partition ${start.hosted[i]} of ${start.partitions}`);
    const slices = plan.slices;
    if (!Array.isArray(slices) || slices.length !== description.populations.length) throw bad(`plan ${i} needs one slice per population`);
    slices.forEach((s, p) => {
      const size = description.populations[p].size;
      if (!(Number.isInteger(s?.start) && Number.isInteger(s?.stop) && s.start >= 0 && s.start <= s.stop && s.stop <= size)) {
        throw bad(`plan ${i} slices population ${description.populations[p].name} (size ${size}) as ${JSON.stringify(s)}`);
      }
    });
  });
  return plans as PartitionPlan[];
}
