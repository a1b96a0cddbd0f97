/**
 * A worker node: a gRPC server that serves runs one after another. For each run it checks the
 * caller's token and protocol version, tells the coordinator how many partitions it can host (one
 * per thread), builds those it is given from the description, then follows the chunk loop the
 * coordinator drives over one bidirectional stream (see `nodeRun.ts`).
 *
 * If the coordinator vanishes the node drops the run's state and waits for the next.
 */
import { Server, ServerCredentials, status, type ServerDuplexStream } from '@grpc/grpc-js';
import { timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import { ModelError } from '../src/errors.ts';
import { checkHostPort } from '../src/cli/hostPort.ts';
import { requireInteger, requireString } from '../src/ir/checks.ts';
import {
  MAX_MESSAGE_BYTES, PROTOCOL_VERSION, int32s, uint32s, workerNodeService, type CoordinatorMessage, type NodeMessage,
} from '../src/exchange/grpcContract.ts';
import { NodeRun, type NodeRunOptions } from './nodeRun.ts';
import { warmPool } from './threadPool.ts';

export interface NodeOptions {
  /** host:port to bind; port 0 picks a free one. */
  readonly listen: string;
  readonly token: string;
  readonly tls?: { cert: Buffer; key: Buffer };
  /** Partitions one run may place here, each on its own thread; default one per available core. */
  readonly threads?: number;
  readonly log?: (line: string) => void;
  /** For tests of failure handling, passed to every run. */
  readonly injectFailure?: NodeRunOptions['injectFailure'];
}

export interface RunningNode {
  readonly address: string;
  readonly threads: number;
  close(): Promise<void>;
}

type Call = ServerDuplexStream<CoordinatorMessage, NodeMessage>;

/** The node's one run slot: whether a stream holds it, and the warm thread pool for the next run. */
interface Slot {
  busy: boolean;
  pool: Promise<Piscina>;
}

interface RunSettings extends NodeRunOptions {
  readonly token: string;
  readonly log: (line: string) => void;
}

export async function startNode(options: NodeOptions): Promise<RunningNode> {
  checkHostPort(options.listen, 'startNode: listen', true);
  requireString('startNode', 'token', options.token, "the cluster's token");
  const log = options.log ?? ((line: string) => console.error(line));
  const server = new Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  const settings: RunSettings = { token: options.token, threads: options.threads ?? availableParallelism(), injectFailure: options.injectFailure, log };
  requireInteger('startNode', 'threads', settings.threads, 1);
  const credentials = options.tls ? ServerCredentials.createSsl(null, [{ cert_chain: options.tls.cert, private_key: options.tls.key }], false) : ServerCredentials.createInsecure();
  // One run at a time: a node's partitions use all of its cores.
  const slot: Slot = { busy: false, pool: warmPool(settings.threads) };
  server.addService(workerNodeService, { Run: (call: Call) => serveRun(call, settings, slot) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(options.listen, credentials, (error, p) => (error ? reject(error) : resolve(p))))
    .catch(async (error: Error) => {
      await (await slot.pool).destroy();
      // An address in use, a host that is not this machine's: the user's to change.
      throw new ModelError('INVALID_VALUE', `cannot listen on ${options.listen}: ${error.message}`);
    });
  const host = options.listen.slice(0, options.listen.lastIndexOf(':'));
  return {
    address: `${host}:${port}`,
    threads: settings.threads,
    close: async () => {
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      await (await slot.pool).destroy();
    },
  };
}

function authorised(call: Call, token: string): boolean {
  const given = String(call.metadata.get('authorization')[0] ?? '');
  const expected = `Bearer ${token}`;
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function serveRun(call: Call, settings: RunSettings, slot: Slot): void {
  const { log } = settings;
  const peer = call.getPeer();
  if (!authorised(call, settings.token)) {
    log(`refused ${peer}: missing or wrong token`);
    call.emit('error', { code: status.UNAUTHENTICATED, details: 'missing or wrong cluster token' });
    return;
  }
  // This stream holds the node (from Hello, or from Start when there was none) until it ends.
  let holds = false;
  let run: NodeRun | null = null;
  let over = false;
  const release = () => {
    over = true;
    // The run takes its pool down with it; the next run gets fresh threads, started meanwhile.
    if (run) slot.pool = run.stop().catch(() => {}).then(() => warmPool(settings.threads));
    run = null;
    if (holds) slot.busy = false;
    holds = false;
  };
  const fail = (code: status, details: string) => {
    if (over) return;
    log(`run from ${peer} ended: ${details}`);
    release();
    call.emit('error', { code, details });
  };
  /** Checks a message's protocol and takes the node for this stream; false if it refused. */
  const admit = (protocol: number) => {
    if (protocol !== PROTOCOL_VERSION) {
      fail(status.FAILED_PRECONDITION, `protocol version ${protocol} from the coordinator, this node speaks ${PROTOCOL_VERSION}; use the same spikegrid version on both`);
      return false;
    }
    if (holds) return true;
    if (slot.busy) {
      fail(status.UNAVAILABLE, 'this node is busy with another run');
      return false;
    }
    slot.busy = holds = true;
    return true;
  };
  call.on('data', (message: CoordinatorMessage) => {
    if (over) return;
    try {
      if (message.kind === 'hello' && !holds) {
        if (admit(message.hello.protocol)) call.write({ kind: 'welcome', welcome: { protocol: PROTOCOL_VERSION, threads: settings.threads } });
      } else if (message.kind === 'start' && !run) {
        if (!admit(message.start.protocol)) return;
        run = new NodeRun(message.start, settings, {
          send: (m) => call.write(m),
          done: (summary) => {
            release();
            call.write(summary);
            call.end();
          },
          fail: (error) => fail(status.INTERNAL, error.message),
        }, slot.pool);
        log(`run from ${peer}: partitions ${message.start.hosted.join(', ')} of ${message.start.partitions}, ${message.start.steps} steps`);
      } else if (message.kind === 'spikes' && run) {
        run.deliver(message.spikes.chunk, int32s(message.spikes.steps), uint32s(message.spikes.gids));
      } else {
        fail(status.INVALID_ARGUMENT, `a ${message.kind ?? 'unknown'} message out of order: a run is Hello, Start, then one ChunkSpikes per chunk`);
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
    release();
  };
  call.on('cancelled', drop);
  call.on('error', drop);
  call.on('end', drop);
}
