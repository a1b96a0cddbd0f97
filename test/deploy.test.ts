import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The deployment files run here as far as this machine allows: no container engine, Kubernetes or
// Slurm, so the image's file list, the manifests' command lines and the batch script run on this
// machine instead, over loopback.

const root = join(import.meta.dirname, '..');
const deploy = join(root, 'deploy');
const temp = (name: string) => mkdtempSync(join(tmpdir(), `spikegrid-deploy-${name}-`));

/** Starts `node bin/spikegrid.mjs worker …` in `dir`; resolves with its address. */
function startWorker(dir: string, args: string[]): Promise<{ address: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(dir, 'bin', 'spikegrid.mjs'), ...args], { cwd: dir });
  const log: string[] = [];
  child.stderr!.on('data', (d) => log.push(String(d)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      const match = /listening on (\S+)/.exec(String(d));
      if (match) resolve({ address: match[1], child });
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${log.join('')}`)));
  });
}

function spikegrid(dir: string, args: string[]) {
  const result = spawnSync(process.execPath, [join(dir, 'bin', 'spikegrid.mjs'), ...args], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`spikegrid ${args.join(' ')} failed: ${result.stderr}`);
  return result;
}

const sha = (out: string) => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).spikes_sha256 as string;

/** The YAML list under `args:` of a manifest, as written there (flow or block style). */
function manifestArgs(file: string): string[] {
  const text = readFileSync(join(deploy, 'kubernetes', file), 'utf8');
  const flow = /^\s*args: (\[.*\])\s*$/m.exec(text);
  if (flow) return JSON.parse(flow[1]);
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*args:\s*$/.test(l));
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s*- (.*)$/.exec(line);
    if (!item) break;
    items.push(item[1].replace(/^"(.*)"$/, '$1'));
  }
  return items;
}

test("the image's files, started as the manifests start them, run a network over gRPC as the repository does", async (t) => {
  // The files the Dockerfile copies into the image, with this checkout's installed packages.
  const image = temp('image');
  for (const line of readFileSync(join(deploy, 'Dockerfile'), 'utf8').split('\n')) {
    const copy = /^COPY (.+) (\S+)$/.exec(line);
    if (!copy) continue;
    const [sources, destination] = [copy[1].split(/\s+/), copy[2]];
    for (const source of sources) cpSync(join(root, source), destination.endsWith('/') ? join(image, source) : join(image, destination), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(image, 'node_modules'));

  const tokenDir = temp('token');
  writeFileSync(join(tokenDir, 'token'), 'deploy-test-token');
  const substitute = (args: string[]) => args.map((a) => a.replace('$(POD_IP):7070', '127.0.0.1:0').replace('/etc/spikegrid/token', join(tokenDir, 'token')));
  const workerArgs = substitute(manifestArgs('workers.yaml'));
  t.is(workerArgs[0], 'worker');
  const workers = await Promise.all([startWorker(image, workerArgs), startWorker(image, workerArgs)]);
  try {
    const jobArgs = substitute(manifestArgs('coordinator-job.yaml'));
    const set = (flag: string, value: string) => jobArgs.splice(jobArgs.indexOf(flag) + 1, 1, value);
    set('--nodes', workers.map((w) => w.address).join(','));
    set('--t', '100'); // a short run keeps the test quick; the rest is the Job's command line
    const out = join(temp('results'), 'brunel');
    set('--out', out);
    spikegrid(image, jobArgs);

    const reference = join(temp('reference'), 'brunel');
    spikegrid(root, ['run', 'examples/brunel.ts', '--t', '100', '--workers', '1', '--out', reference]);
    t.is(sha(out), sha(reference));
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    t.is(manifest.workers, 4, 'two nodes of two threads each');
    // The image holds the native kernels, and each node's threads and main thread use it.
    t.deepEqual(manifest.per_worker.map((w: { native_kernels: boolean }) => w.native_kernels), [true, true, true, true]);
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
  }
});

test('the Slurm script starts a worker per host and runs the model over them (srun and scontrol stood in for)', (t) => {
  // Stand-ins for a one-host allocation: srun runs its command here, scontrol names this host.
  const bin = temp('slurm-bin');
  const shim = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  shim('srun', 'while [[ "$1" == --* ]]; do shift; done; exec "$@"');
  shim('scontrol', 'echo testhost');
  shim('getent', 'echo "127.0.0.1 testhost"');
  shim('hostname', 'echo 127.0.0.1');
  const home = temp('slurm-home');
  const out = join(home, 'results');
  mkdirSync(out, { recursive: true });
  const result = spawnSync('bash', [join(deploy, 'slurm.sbatch'), 'examples/brunel.ts', '--t', '100', '--set', 'scale=0.1', '--out', join(out, 'brunel')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60000,
    env: {
      ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: home, SPIKEGRID_PORT: String(20000 + (process.pid % 20000)),
      SLURM_JOB_NUM_NODES: '1', SLURM_JOB_NODELIST: 'testhost', SLURM_CPUS_ON_NODE: '2',
    },
  });
  t.is(result.status, 0, result.stderr);
  const reference = join(temp('slurm-reference'), 'brunel');
  spikegrid(root, ['run', 'examples/brunel.ts', '--t', '100', '--set', 'scale=0.1', '--workers', '1', '--out', reference]);
  t.is(sha(join(out, 'brunel')), sha(reference));
  t.is(JSON.parse(readFileSync(join(out, 'brunel', 'run.json'), 'utf8')).workers, 2, 'one node of SLURM_CPUS_ON_NODE threads');
});
