import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { normalizeDescription, nn, ArrowRecorder, MemoryRecorder, type NetworkDescription, type SpikeMatrix, type TraceMatrix } from '../index.ts';
import { runLocal } from '../src/run/runLocal.ts';
import { runThreads } from '../coordinator/runThreads.ts';
import brunel from '../examples/brunel.ts';
import { python } from './python.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'spikegrid-arrow-'));
const bin = join(import.meta.dirname, '..', 'bin', 'spikegrid.mjs');
const examples = join(import.meta.dirname, '..', 'examples');

function description(): NetworkDescription {
  return normalizeDescription({
    ...nn.describeNetwork(new (brunel({ scale: 0.05 }))()),
    seed: 3,
    monitors: [{ target: 'E', attr: 'spike' }, { target: 'I', attr: 'spike', slice: [10, 60] }, { target: 'I', attr: 'v', slice: [0, 4] }, { target: 'E', attr: 'v', slice: [7, 9] }],
  });
}

async function record(workers: number, batchRows = 4096) {
  const dir = temp();
  const memory = new MemoryRecorder();
  const arrow = new ArrowRecorder(dir, { batchRows });
  const d = description();
  if (workers === 0) runLocal(d, { steps: 3000, recorders: [memory, arrow] });
  else await runThreads(d, { steps: 3000, workers, recorders: [memory, arrow], batchSteps: 200 });
  return { dir, mon: memory.data, arrow };
}

test('spikes.arrow holds exactly the spikes MemoryRecorder returns, in canonical order, for 1 and several workers', async (t) => {
  for (const workers of [0, 3]) {
    const { dir, mon } = await record(workers);
    const table = tableFromIPC(readFileSync(join(dir, 'spikes.arrow')));
    const rows = table.toArray().map((r) => [Number(r.step), r.time_ms, r.population, r.neuron]);
    const expected: Array<[number, number, string, number]> = [];
    const e = mon['E.spike'] as SpikeMatrix;
    const i = mon['I.spike'] as SpikeMatrix;
    for (const [matrix, name, offset] of [[e, 'E', 0], [i, 'I', 10]] as const) {
      for (let k = 0; k < matrix.count; k++) expected.push([matrix.steps[k], (matrix.steps[k] + 1) * 0.1, name, matrix.neurons[k] + offset]);
    }
    // Canonical order: by step, then global id (E before I).
    expected.sort((a, b) => a[0] - b[0] || (a[2] === b[2] ? a[3] - b[3] : a[2] === 'E' ? -1 : 1));
    t.true(rows.length > 1000, `${rows.length} spikes`);
    t.deepEqual(rows, expected, `${workers} workers`);
  }
});

test('traces.arrow holds every monitored value in long form', async (t) => {
  const { dir, mon } = await record(0);
  const table = tableFromIPC(readFileSync(join(dir, 'traces.arrow')));
  t.deepEqual(table.schema.fields.map((f) => f.name), ['step', 'time_ms', 'population', 'neuron', 'variable', 'value']);
  t.is(table.numRows, 3000 * (4 + 2));
  const iv = mon['I.v'] as TraceMatrix;
  const ev = mon['E.v'] as TraceMatrix;
  const rows = table.toArray();
  for (const at of [0, 5, 17999]) {
    const row = rows[at];
    const step = Number(row.step);
    const expected = row.population === 'I' ? iv.get(step, row.neuron) : ev.get(step, row.neuron - 7);
    t.is(row.value, expected);
    t.is(row.variable, 'v');
  }
});

test('the files are byte-identical whichever number of workers wrote them', async (t) => {
  const runs = await Promise.all([0, 1, 2, 4].map((w) => record(w)));
  for (const name of ['spikes.arrow', 'traces.arrow']) {
    const reference = readFileSync(join(runs[0].dir, name));
    for (const run of runs.slice(1)) t.true(readFileSync(join(run.dir, name)).equals(reference), name);
  }
});

test('memory stays bounded: a run with far more spikes than one batch holds at most a batch at a time', async (t) => {
  const { dir, arrow } = await record(0, 500);
  const table = tableFromIPC(readFileSync(join(dir, 'spikes.arrow')));
  t.true(table.numRows > 20 * 500, `${table.numRows} rows`);
  t.is(arrow.peakBufferedRows, 500);
  t.is(table.batches.length, Math.ceil(table.numRows / 500));
});

test('pandas, pyarrow and polars open the files, with the documented types and metadata', async (t) => {
  const { dir } = await record(2);
  const out = python(`
import sys, json, pandas as pd, pyarrow as pa, polars as pl
d = sys.argv[1]
s = pd.read_feather(d + '/spikes.arrow')
tr = pd.read_feather(d + '/traces.arrow')
meta = pa.ipc.open_file(d + '/spikes.arrow').schema.metadata
p = pl.read_ipc(d + '/spikes.arrow')
print(json.dumps({
  'dtypes': {k: str(v) for k, v in s.dtypes.items()},
  'rows': len(s), 'polars_rows': p.height,
  'per_population': {str(k): int(v) for k, v in s.groupby('population', observed=True).size().items()},
  'trace_rows': len(tr), 'seed': meta[b'seed'].decode(), 'dt': meta[b'dt_ms'].decode(),
  'has_digest': b'description_sha256' in meta,
}))
`, dir);
  const result = JSON.parse(out);
  const table = tableFromIPC(readFileSync(join(dir, 'spikes.arrow')));
  t.deepEqual(result.dtypes, { step: 'int64', time_ms: 'float64', population: 'category', neuron: 'uint32' });
  t.is(result.rows, table.numRows);
  t.is(result.polars_rows, table.numRows);
  t.is(result.per_population.E + result.per_population.I, table.numRows);
  t.is(result.trace_rows, 3000 * 6);
  t.is(result.seed, '3');
  t.is(result.dt, '0.1');
  t.true(result.has_digest);
});

test('--format parquet writes Parquet files that DuckDB reads, and spikegrid sql answers over them', (t) => {
  const dir = temp();
  const run = spawnSync(process.execPath, [bin, 'run', join(examples, 'brunel.ts'), '--t', '100', '--set', 'scale=0.05', '--out', dir, '--format', 'parquet', '--trace', 'E.v[0:2]', '--workers', '1'], { encoding: 'utf8' });
  t.is(run.status, 0, run.stderr);
  t.regex(run.stdout, new RegExp(`^wrote ${['run.json', 'spikes.arrow', 'traces.arrow', 'spikes.parquet', 'traces.parquet'].map((f) => join(dir, f)).join(', ')}$`, 'm'));
  const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const counts = JSON.parse(python(`
import sys, json, duckdb
d = sys.argv[1]
print(json.dumps(dict(duckdb.sql(f"SELECT population, count(*) FROM '{d}/spikes.parquet' GROUP BY 1").fetchall())))
`, dir));
  t.is(counts.E, manifest.populations.E.spikes);
  t.is(counts.I, manifest.populations.I.spikes);
  const sql = spawnSync(process.execPath, [bin, 'sql', dir, 'SELECT population, count(*) AS n FROM spikes GROUP BY population ORDER BY population'], { encoding: 'utf8' });
  t.is(sql.status, 0, sql.stderr);
  t.deepEqual(sql.stdout.trim().split('\n').slice(2).map((l) => l.split(/\s+/)), [['E', String(counts.E)], ['I', String(counts.I)]]);
  const plot = spawnSync(process.execPath, [bin, 'plot', dir, '--trace', 'E.v'], { encoding: 'utf8' });
  t.is(plot.status, 0, plot.stderr);
  t.true(statSync(join(dir, 'E.v.png')).size > 10000);
  // --file: a name within DIR, a path of its own as it is, and one that cannot be written is an error.
  const elsewhere = join(temp(), 'plots', 'raster.png');
  const raster = spawnSync(process.execPath, [bin, 'plot', dir, '--raster', 'E', '--file', elsewhere], { encoding: 'utf8' });
  t.is(raster.status, 0, raster.stderr);
  t.is(raster.stdout.trim(), `wrote ${elsewhere}`);
  t.true(statSync(elsewhere).size > 1000);
  const unwritable = spawnSync(process.execPath, [bin, 'plot', dir, '--raster', 'E', '--file', '/proc/spikegrid-raster.png'], { encoding: 'utf8' });
  t.is(unwritable.status, 2);
  t.regex(unwritable.stderr, /^spikegrid: plot file \/proc\/spikegrid-raster\.png: ENOENT.*; give a file that can be written/);
  // Neurons that were not recorded, or that the population does not have, are named as such.
  const unrecorded = spawnSync(process.execPath, [bin, 'plot', dir, '--trace', 'E.v', '--neurons', '5:9'], { encoding: 'utf8' });
  t.is(unrecorded.status, 2);
  t.is(unrecorded.stderr.trim(), `spikegrid: --trace E.v --neurons 5:9: ${join(dir, 'traces.arrow')} holds neurons 0..1 of E.v, none of these; give --neurons within them, or record these with --trace E.v[5:9]`);
  const outside = spawnSync(process.execPath, [bin, 'plot', dir, '--raster', 'I', '--neurons', '200:300'], { encoding: 'utf8' });
  t.is(outside.status, 2);
  t.is(outside.stderr.trim(), 'spikegrid: --neurons 200:300: I has neurons 0..124; give a range within them');
  // A trace that is not POP.VAR, of no such population, or not recorded: each says what to give.
  const refusals: Array<[string, string]> = [
    ['E', 'spikegrid: --trace E: give a population and a variable, POP.VAR, as recorded with spikegrid run --trace'],
    ['X.v', 'spikegrid: --trace X.v: no such population; known: E, I'],
    ['I.v', `spikegrid: --trace I.v: not in ${join(dir, 'traces.arrow')}, which holds E.v; record it with spikegrid run --trace I.v`],
  ];
  for (const [trace, message] of refusals) {
    const refused = spawnSync(process.execPath, [bin, 'plot', dir, '--trace', trace], { encoding: 'utf8' });
    t.is(refused.status, 2, trace);
    t.is(refused.stderr.trim(), message);
  }
});

test('a trace plot without --neurons draws the first recorded neurons that have colours of their own, and says which', (t) => {
  const dir = temp();
  const run = spawnSync(process.execPath, [bin, 'run', join(examples, 'brunel.ts'), '--t', '20', '--set', 'scale=0.05', '--out', dir, '--trace', 'E.v[3:11]', '--workers', '1'], { encoding: 'utf8' });
  t.is(run.status, 0, run.stderr);
  const plot = spawnSync(process.execPath, [bin, 'plot', dir, '--trace', 'E.v'], { encoding: 'utf8' });
  t.is(plot.status, 0, plot.stderr);
  t.is(plot.stdout, `E.v: plotted neurons 3, 4, 5, 6, 7, the first 5 of the 8 recorded; choose others with --neurons start:stop\nwrote ${join(dir, 'E.v.png')}\n`);
  t.true(statSync(join(dir, 'E.v.png')).size > 10000);
  // Neurons chosen are all drawn, however many.
  const chosen = spawnSync(process.execPath, [bin, 'plot', dir, '--trace', 'E.v', '--neurons', '0:11', '--file', 'all.png'], { encoding: 'utf8' });
  t.is(chosen.status, 0, chosen.stderr);
  t.is(chosen.stdout, `wrote ${join(dir, 'all.png')}\n`);
});

/**
 * Python: `whole_batches(path)`, the schema of an Arrow stream and the batches written in full
 * before it was cut, read as the README reads a dead run's stream.
 */
const WHOLE_BATCHES = `
import pyarrow as pa
def whole_batches(path):
  reader = pa.ipc.open_stream(path)
  batches = []
  try:
    for batch in reader:
      batches.append(batch)
  except (pa.ArrowInvalid, OSError):
    pass  # the batch being written when the run died: ArrowInvalid cut in its header, OSError in its body
  return reader.schema, batches
`;

test('a run killed mid-way leaves every finished batch readable', async (t) => {
  const dir = temp();
  const child = spawn(process.execPath, [bin, 'run', join(examples, 'brunel.ts'), '--t', '60000', '--set', 'scale=0.2', '--out', dir, '--workers', '1', '--no-progress']);
  // Listening from the start: on a busy machine this process may look again only after the child has gone.
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const stream = join(dir, 'spikes.arrows');
  // Wait for a few batches of 65536 spikes, then kill the run.
  for (let waited = 0; !(existsSync(stream) && statSync(stream).size > 3e6) && waited < 60000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  await exited;
  t.false(existsSync(join(dir, 'spikes.arrow')), 'the run did not finish');
  const result = JSON.parse(python(`${WHOLE_BATCHES}
import sys, json
schema, batches = whole_batches(sys.argv[1])
last = batches[-1].column(0)[-1].as_py() if batches else None
print(json.dumps({'rows': sum(b.num_rows for b in batches), 'batches': len(batches), 'last_step': last}))
`, stream));
  t.true(result.batches >= 2, `${result.batches} batches`);
  t.is(result.rows, result.batches * 65536);
  t.true(result.last_step > 0);
  // spikegrid sql answers from the same whole batches, and says the run did not finish.
  const sql = spawnSync(process.execPath, [bin, 'sql', dir, 'SELECT count(*) AS n, max(step) AS last FROM spikes'], { encoding: 'utf8' });
  t.is(sql.status, 0, sql.stderr);
  t.deepEqual(sql.stdout.trim().split('\n')[2].split(/\s+/), [String(result.rows), String(result.last_step)]);
  t.is(sql.stderr, `spikegrid: ${join(dir, 'spikes.arrow')} is missing, so its run did not finish; spikes holds the ${result.rows} rows of the batches it wrote in full\n`);
});

test('a stream cut in a batch header or body: spikegrid sql and the README reading give exactly the whole batches before it', async (t) => {
  const { dir } = await record(0);
  // The run's spikes as a stream of 4 096-row batches, with where each batch ends.
  const cutDir = temp();
  const stream = join(cutDir, 'spikes.arrows');
  const ends: number[] = JSON.parse(python(`
import sys, json, pyarrow as pa
table = pa.ipc.open_file(sys.argv[1]).read_all()
sink = open(sys.argv[2], 'wb')
writer = pa.ipc.new_stream(sink, table.schema)
ends = []
for batch in table.to_batches(max_chunksize=4096):
  writer.write_batch(batch); sink.flush(); ends.append(sink.tell())
print(json.dumps(ends))
`, join(dir, 'spikes.arrow'), stream));
  t.true(ends.length >= 4, `${ends.length} batches`);
  const whole = readFileSync(stream);
  // Cut 8 bytes into batch 3's header, then half-way through batch 3.
  for (const cut of [ends[1] + 8, Math.floor((ends[1] + ends[2]) / 2)]) {
    writeFileSync(stream, whole.subarray(0, cut));
    const rows = python(`${WHOLE_BATCHES}
import sys
schema, batches = whole_batches(sys.argv[1])
print(pa.Table.from_batches(batches, schema).num_rows)
`, stream);
    t.is(Number(rows), 2 * 4096, `pyarrow, cut at byte ${cut}`);
    const sql = spawnSync(process.execPath, [bin, 'sql', cutDir, 'SELECT count(*) AS n FROM spikes'], { encoding: 'utf8' });
    t.is(sql.status, 0, sql.stderr);
    t.is(sql.stdout.trim().split('\n')[2].trim(), String(2 * 4096), `spikegrid sql, cut at byte ${cut}`);
  }
});
