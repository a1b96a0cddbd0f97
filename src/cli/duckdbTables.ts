/**
 * A run's tables in embedded DuckDB: `spikes` and `traces`, from Parquet files where the run wrote
 * them, otherwise loaded from the Arrow files (DuckDB's own Arrow reader is an extension it would
 * have to download). Also writes Parquet files, for `--format parquet`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIGINT, DOUBLE, DuckDBDataChunk, DuckDBInstance, UINTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { ModelError, OutputError } from '../errors.ts';
import { streamBatches } from '../monitor/arrowFiles.ts';

const TABLES = ['spikes', 'traces'] as const;
const COLUMNS = {
  spikes: [['step', BIGINT], ['time_ms', DOUBLE], ['population', VARCHAR], ['neuron', UINTEGER]],
  traces: [['step', BIGINT], ['time_ms', DOUBLE], ['population', VARCHAR], ['neuron', UINTEGER], ['variable', VARCHAR], ['value', DOUBLE]],
} as const;
/** DuckDB's vector size: rows per data chunk. */
const CHUNK_ROWS = 2048;

/** Opens an in-memory DuckDB with the run's tables and hands it to `use`. */
export async function withRunTables<T>(dir: string, use: (connection: DuckDBConnection, tables: string[]) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const tables: string[] = [];
    for (const table of TABLES) {
      const parquet = join(dir, `${table}.parquet`);
      if (existsSync(parquet)) {
        await connection.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${parquet.replaceAll("'", "''")}')`);
        tables.push(table);
      } else if (existsSync(join(dir, `${table}.arrow`))) {
        await loadArrow(connection, table, join(dir, `${table}.arrow`));
        tables.push(table);
      } else if (existsSync(join(dir, `${table}.arrows`))) {
        // A run that did not finish leaves the stream it was writing: its whole batches are good.
        const rows = await loadArrow(connection, table, join(dir, `${table}.arrows`), true);
        process.stderr.write(`spikegrid: ${join(dir, `${table}.arrow`)} is missing, so its run did not finish; ${table} holds the ${rows} rows of the batches it wrote in full\n`);
        tables.push(table);
      }
    }
    if (tables.length === 0) throw new ModelError('UNKNOWN_NAME', `${dir} holds no spikes or traces files (spikes.arrow, spikes.parquet, …); run with --out ${dir} first`);
    return await use(connection, tables);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Loads an Arrow file or stream into `table`; returns its rows. `partial`: stop at a batch cut short. */
async function loadArrow(connection: DuckDBConnection, table: 'spikes' | 'traces', path: string, partial = false): Promise<number> {
  const columns = COLUMNS[table];
  await connection.run(`CREATE TABLE ${table} (${columns.map(([name, type]) => `${name} ${type.toString()}`).join(', ')})`);
  const appender = await connection.createAppender(table);
  const types = columns.map(([, type]) => type);
  let rows = 0;
  try {
    for (const batch of streamBatches(path)) {
      const vectors = columns.map(([name]) => batch.getChild(name)!);
      for (let first = 0; first < batch.numRows; first += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, batch.numRows - first);
        const chunk = DuckDBDataChunk.create(types, n);
        chunk.setColumns(vectors.map((vector) => {
          const values = new Array(n);
          for (let i = 0; i < n; i++) values[i] = vector.get(first + i);
          return values;
        }));
        appender.appendDataChunk(chunk);
      }
      rows += batch.numRows;
    }
  } catch (error) {
    // The reader fails on a batch cut short, before handing it out: the rows above are whole.
    if (!partial) throw error;
  }
  appender.flushSync();
  appender.closeSync();
  return rows;
}

/** Writes `spikes.parquet` and `traces.parquet` beside the Arrow files of a run. */
export async function writeParquet(dir: string): Promise<string[]> {
  return withRunTables(dir, async (connection, tables) => {
    const written: string[] = [];
    for (const table of tables) {
      const path = join(dir, `${table}.parquet`);
      try {
        await connection.run(`COPY (SELECT * FROM ${table} ORDER BY step, population, neuron) TO '${path.replaceAll("'", "''")}' (FORMAT parquet)`);
      } catch (error) {
        throw new OutputError(path, error as Error, `the run's Arrow files in ${dir} are complete`);
      }
      written.push(path);
    }
    return written;
  });
}
