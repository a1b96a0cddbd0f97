/** Command-line parsing for `spikegrid run`: flags, values, repeatable `--set name=value`. */
import { ModelError } from '../errors.ts';
import { checkHostPort } from './hostPort.ts';

export interface RunArgs {
  model: string;
  tMs: number;
  dt?: number;
  seed?: number;
  precision?: string;
  set: Record<string, string | number | boolean>;
  out?: string;
  /** Worker threads; undefined means one per available core. */
  workers?: number;
  record: boolean;
  /** gRPC worker nodes (host:port); when given, the run goes over them instead of threads. */
  nodes?: string[];
  tokenFile?: string;
  tlsCa?: string;
  /** Seconds a node may stay silent. */
  deadline?: number;
  /** State variables to record, as `POP.VAR` or `POP.VAR[start:stop]`. */
  traces: string[];
  format: 'arrow' | 'parquet';
  progress: boolean;
}

const USAGE = [
  'usage: spikegrid run MODEL --t MS [--dt MS] [--seed N] [--precision double|single] [--set name=value …] [--workers N | --nodes H:P,H:P --token-file F [--tls-ca F] [--deadline S]]',
  '                          [--out DIR] [--trace POP.VAR[start:stop] …] [--format arrow|parquet] [--no-record] [--no-progress]',
  '       spikegrid worker --listen HOST:PORT [--threads N] --token-file FILE [--tls-cert F --tls-key F]',
  '       spikegrid sql DIR "SELECT …"',
  '       spikegrid plot DIR (--raster POP | --trace POP.VAR) [--neurons start:stop] [--file PNG]',
  '       spikegrid --version',
].join('\n');

/**
 * The value that follows option `flag`: missing, empty (an unset shell variable) or another option
 * is an error that shows `usage`.
 */
export function optionValue(flag: string, value: string | undefined, usage: string): string {
  if (value === undefined || value === '' || value.startsWith('--')) throw new ModelError('INVALID_VALUE', `${flag} needs a value; ${usage}`);
  return value;
}

/** Options that may be given several times, each adding to the others. */
const REPEATABLE = ['--set', '--trace'];

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const args: Partial<RunArgs> & { set: RunArgs['set'] } = { set: {}, record: true, progress: true, traces: [], format: 'arrow' };
  // Options given once; a second one is more likely a slip than a wish to override the first.
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--') && !REPEATABLE.includes(arg)) {
      if (seen.has(arg)) throw new ModelError('INVALID_VALUE', `${arg} is given twice; give it once`);
      seen.add(arg);
    }
    const value = () => optionValue(arg, argv[++i], USAGE);
    const number = (name: string) => {
      const text = value();
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new ModelError('INVALID_VALUE', `${name} must be a number, got ${JSON.stringify(text)}`);
      return n;
    };
    switch (arg) {
      case '--t':
        args.tMs = number('--t');
        break;
      case '--dt':
        args.dt = number('--dt');
        break;
      case '--seed':
        args.seed = number('--seed');
        break;
      case '--precision':
        args.precision = value();
        break;
      case '--set': {
        const pair = value();
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new ModelError('INVALID_VALUE', `--set needs name=value, got ${JSON.stringify(pair)}`);
        const name = pair.slice(0, eq);
        if (Object.hasOwn(args.set, name)) throw new ModelError('INVALID_VALUE', `--set ${name} is given twice; give it once`);
        args.set[name] = parseSetValue(pair.slice(eq + 1));
        break;
      }
      case '--workers': {
        const n = number('--workers');
        if (!Number.isInteger(n) || n < 1) throw new ModelError('INVALID_VALUE', `--workers must be a whole number ≥ 1, got ${n}`);
        args.workers = n;
        break;
      }
      case '--out':
        args.out = value();
        break;
      case '--nodes':
        args.nodes = value().split(',').map((n) => n.trim()).filter(Boolean);
        for (const node of args.nodes) checkHostPort(node, '--nodes:');
        break;
      case '--token-file':
        args.tokenFile = value();
        break;
      case '--tls-ca':
        args.tlsCa = value();
        break;
      case '--deadline':
        args.deadline = number('--deadline');
        break;
      case '--trace':
        args.traces!.push(value());
        break;
      case '--format': {
        const format = value();
        if (format !== 'arrow' && format !== 'parquet') throw new ModelError('INVALID_VALUE', `--format must be arrow or parquet, got ${JSON.stringify(format)}`);
        args.format = format;
        break;
      }
      case '--no-record':
        args.record = false;
        break;
      case '--no-progress':
        args.progress = false;
        break;
      default:
        if (arg.startsWith('--') || args.model !== undefined) throw new ModelError('INVALID_VALUE', `unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
        args.model = arg;
    }
  }
  if (args.model === undefined) throw new ModelError('INVALID_VALUE', `MODEL is missing; ${USAGE}`);
  if (args.tMs === undefined) throw new ModelError('INVALID_VALUE', `--t (model time in ms) is missing; ${USAGE}`);
  if (!(args.tMs > 0)) throw new ModelError('INVALID_VALUE', `--t must be > 0 ms, got ${args.tMs}`);
  if (!args.out && (args.traces!.length || args.format === 'parquet')) throw new ModelError('INVALID_VALUE', '--trace and --format need --out DIR to write to');
  if (args.nodes && args.workers !== undefined) throw new ModelError('INVALID_VALUE', 'give either --workers (threads) or --nodes (gRPC), not both');
  if (args.nodes && !args.tokenFile) throw new ModelError('INVALID_VALUE', '--nodes needs --token-file with the cluster token');
  // Options that would otherwise be ignored without a word.
  const nodeOnly = [['--token-file', args.tokenFile], ['--tls-ca', args.tlsCa], ['--deadline', args.deadline]].find(([, v]) => v !== undefined);
  if (!args.nodes && nodeOnly) throw new ModelError('INVALID_VALUE', `${nodeOnly[0]} is for runs over worker nodes; give --nodes too, or leave it out`);
  if (args.deadline !== undefined && !(args.deadline > 0)) throw new ModelError('INVALID_VALUE', `--deadline must be > 0 s, got ${args.deadline}`);
  if (!args.record && args.format === 'parquet') throw new ModelError('INVALID_VALUE', '--format parquet writes the recorded spikes, and --no-record records none; drop one of them');
  return args as RunArgs;
}

/** `POP.VAR` or `POP.VAR[start:stop]` as a monitor of the description. */
export function traceMonitor(text: string): { target: string; attr: string; slice?: [number, number] } {
  const match = /^([^.[\]]+)\.([A-Za-z_]\w*)(?:\[(\d+):(\d+)\])?$/.exec(text);
  if (!match) throw new ModelError('INVALID_VALUE', `--trace must look like POP.VAR or POP.VAR[start:stop], got ${JSON.stringify(text)}`);
  const [, target, attr, start, stop] = match;
  return start === undefined ? { target, attr } : { target, attr, slice: [Number(start), Number(stop)] };
}

function parseSetValue(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

export { USAGE };
