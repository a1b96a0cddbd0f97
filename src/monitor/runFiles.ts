/**
 * The data files a run leaves in its output directory (besides `run.json`): Arrow files, the
 * Arrow streams they are while the run goes on, and Parquet copies. A new run into the same
 * directory removes a previous run's first, whatever it records itself: `spikegrid sql` reads a
 * Parquet file before an Arrow one, and would otherwise answer with an older run's spikes.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeOutputDir } from '../outputDir.ts';

const RUN_DATA_FILES = ['spikes.arrow', 'traces.arrow', 'spikes.arrows', 'traces.arrows', 'spikes.parquet', 'traces.parquet'];

/** Makes `dir` where it is missing (`setting` names it in errors) and removes a previous run's data files. */
export function prepareRunDir(dir: string, setting: string): void {
  makeOutputDir(dir, setting);
  for (const name of RUN_DATA_FILES) rmSync(join(dir, name), { force: true });
}
