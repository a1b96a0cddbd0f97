/** `spikegrid sql DIR "SELECT …"`: SQL over a run's `spikes` and `traces` tables, printed as a table. */
import { ModelError } from '../errors.ts';
import { withRunTables } from './duckdbTables.ts';

export async function sqlCommand(argv: readonly string[]): Promise<number> {
  const [dir, query, ...extra] = argv;
  if (!dir || !query || extra.length) throw new ModelError('INVALID_VALUE', 'usage: spikegrid sql DIR "SELECT … FROM spikes …"');
  const rows = await withRunTables(dir, async (connection, tables) => {
    try {
      const result = await connection.runAndReadAll(query);
      return { names: result.columnNames(), values: result.getRowsJson() };
    } catch (error) {
      // Traces are recorded only when asked for: say how. Any other missing table: say which there are.
      const message = (error as Error).message;
      const noTraces = !tables.includes('traces') && message.includes('Table with name traces does not exist');
      const hint = noTraces
        ? `\n${dir} holds no traces: record them with spikegrid run … --out ${dir} --trace POP.VAR`
        : /^Catalog Error: Table with name /.test(message) ? `\n${dir}'s tables: ${tables.join(', ')}` : '';
      throw new ModelError('INVALID_VALUE', `SQL: ${message}${hint}`);
    }
  });
  console.log(formatTable(rows.names, rows.values.map((row) => row.map((v) => (v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v))))));
  return 0;
}

export function formatTable(names: string[], rows: string[][]): string {
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(names), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
