/**
 * `spikegrid worker --listen HOST:PORT [--threads N] --token-file FILE [--tls-cert F --tls-key F]`:
 * runs a worker node until it is stopped (SIGINT, SIGTERM). It binds only the address it is given
 * (default 127.0.0.1:7070, loopback), serves runs one after another, and hosts up to N partitions
 * of each on N threads (default: one per available core).
 */
import { constants as osConstants } from 'node:os';
import { ModelError } from '../src/errors.ts';
import { optionValue } from '../src/cli/args.ts';
import { checkHostPort } from '../src/cli/hostPort.ts';
import { readSecret, readSecretFile } from '../src/cli/secrets.ts';
import { startNode } from './grpcNode.ts';

const USAGE = 'usage: spikegrid worker --listen HOST:PORT [--threads N] --token-file FILE [--tls-cert F --tls-key F]';

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    const options: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) {
      const [flag, value] = [argv[i], argv[i + 1]];
      if (!['--listen', '--threads', '--token-file', '--tls-cert', '--tls-key'].includes(flag)) {
        throw new ModelError('INVALID_VALUE', `unexpected argument ${JSON.stringify(flag)}; ${USAGE}`);
      }
      const given = optionValue(flag, value, USAGE);
      if (flag in options) throw new ModelError('INVALID_VALUE', `${flag} is given twice; give it once`);
      options[flag] = given;
    }
    if (!options['--token-file']) throw new ModelError('INVALID_VALUE', `--token-file is missing; ${USAGE}`);
    if (Boolean(options['--tls-cert']) !== Boolean(options['--tls-key'])) throw new ModelError('INVALID_VALUE', '--tls-cert and --tls-key go together');
    const threads = options['--threads'] === undefined ? undefined : Number(options['--threads']);
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
      throw new ModelError('INVALID_VALUE', `--threads must be a whole number ≥ 1, got ${JSON.stringify(options['--threads'])}`);
    }
    const listen = options['--listen'] ?? '127.0.0.1:7070';
    checkHostPort(listen, '--listen', true);
    const node = await startNode({
      threads,
      listen,
      token: readSecret(options['--token-file'], '--token-file'),
      tls: options['--tls-cert'] ? { cert: readSecretFile(options['--tls-cert'], '--tls-cert'), key: readSecretFile(options['--tls-key'], '--tls-key') } : undefined,
    });
    console.log(`spikegrid worker listening on ${node.address} with ${node.threads} thread${node.threads === 1 ? "" : "s"}`);
    await new Promise<void>((resolve) => {
      // The run in progress ends first, so its coordinator gets every spike; a second signal stops
      // the node at once. It exits itself rather than leave that to the signal: as a container's
      // first process, Node would not be stopped by it.
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(128 + osConstants.signals[signal]);
        stopping = true;
        console.error(`spikegrid worker: ${signal}: stopping once the run in progress, if any, ends; ${signal} again stops at once`);
        void node.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  } catch (error) {
    if (error instanceof ModelError) {
      console.error(`spikegrid worker: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
