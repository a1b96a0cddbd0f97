/**
 * The benchmark table: each network runs in its own process through the CLI, without recording,
 * `--repeat` times; the table shows medians. Timings live here, never in tests.
 *
 *   npm run bench                      CUBA and Brunel (scale 1), 1 s each, 3 repeats
 *   npm run bench -- --repeat 5 --only brunel
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Case {
  name: string;
  model: string;
  set: string[];
}

const cases: Case[] = [
  { name: 'CUBA', model: 'examples/cuba.ts', set: ['n=4000'] },
  { name: 'Brunel', model: 'examples/brunel.ts', set: ['scale=1'] },
];

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const repeat = Number(option('--repeat', '3'));
const only = option('--only', '');
const tMs = Number(option('--t', '1000'));
const root = join(import.meta.dirname, '..');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const header = ['network', 'workers', 'neurons', 'synapses', 'build s', 'sim s/model s', 'rtf', 'wall s', 'events/s', 'peak MiB'];
const rows: string[][] = [];
for (const c of cases.filter((c) => !only || c.name.toLowerCase() === only.toLowerCase())) {
  const runs: Array<Record<string, any>> = [];
  for (let i = 0; i < repeat; i++) {
    const out = mkdtempSync(join(tmpdir(), 'spikegrid-bench-'));
    const result = spawnSync(process.execPath, [join(root, 'bin', 'spikegrid.mjs'), 'run', c.model, '--t', String(tMs), ...c.set.flatMap((s) => ['--set', s]), '--out', out, '--no-record', '--no-progress'], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${c.name} failed: ${result.stderr}`);
    runs.push(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')));
  }
  const first = runs[0];
  const neurons = Object.values(first.populations as Record<string, { size: number }>).reduce((n, p) => n + p.size, 0);
  const m = (key: string) => median(runs.map((r) => r[key]));
  rows.push([
    c.name, String(first.workers), String(neurons), String(first.synapses),
    m('build_s').toFixed(2), (m('sim_s') / (tMs / 1000)).toFixed(2), m('rtf').toFixed(2), m('wall_s').toFixed(2),
    (m('events_per_s') / 1e6).toFixed(0) + ' M', m('peak_rss_mib').toFixed(0),
  ]);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`spikegrid bench, ${tMs} ms model time, median of ${repeat}, ${new Date().toISOString().slice(0, 10)}`);
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
