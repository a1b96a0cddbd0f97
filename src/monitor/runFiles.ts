/**
 * The data files a run leaves in its output directory (besides `run.json`): Arrow files, the
 * Arrow streams they are while the run goes on, and Parquet copies. A new run into the same
 * directory removes a previous run's first, whatever it records itself: `spikegrid sql` reads a
 * Parquet file before an Arrow one, and would otherwise answer with an older run's spikes.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const RUN_DATA_FILES = ['spikes.arrow', 'traces.arrow', 'spikes.arrows', 'traces.arrows', 'spikes.parquet', 'traces.parquet'];

/** Removes a previous run's data files from `dir`. */
export function clearRunFiles(dir: string): void {
  for (const name of RUN_DATA_FILES) rmSync(join(dir, name), { force: true });
}
