/**
 * How evenly the machine runs two busy threads. Workers that meet at a barrier every chunk go at
 * the slower one's pace, so where a virtual machine's processors change pace independently of
 * each other (other guests on the same cores), two workers lose what one processor is behind the
 * other, chunk after chunk, however evenly the network is split.
 *
 * Two threads run the same loop at once, scattered additions into 16 MiB (memory-bound, as
 * delivery is), and count their passes in windows of `windowMs`; in each window the faster
 * thread's count over the slower's is how much the slower one held a barrier-synchronised pair back.
 */
import { Worker } from 'node:worker_threads';

export interface ProcessorPace {
  /** Over the windows: the faster thread's passes over the slower's. */
  readonly median: number;
  readonly p90: number;
  readonly max: number;
  /**
   * How much faster than one worker two could then be at most: two workers that meet every chunk
   * do twice the slower thread's passes in a window, one worker those of either thread, on average
   * their mean; over all windows, 4 Σ min / Σ (a + b).
   */
  readonly twoWorkersAtMost: number;
  readonly windows: number;
  readonly windowMs: number;
}

/** Each thread, from the common start on: its passes in each window, into `counts[thread * windows + window]`. */
const LOOP = `
const { workerData } = require('node:worker_threads');
const { counts, thread, windows, windowMs, start } = workerData;
const cells = new Float32Array(1 << 22);
let x = thread + 1;
while (Date.now() < start);
for (let w = 0; w < windows; w++) {
  const end = start + (w + 1) * windowMs;
  let passes = 0;
  while (Date.now() < end) {
    for (let k = 0; k < 1000; k++) {
      x = (Math.imul(x, 1664525) + 1013904223) | 0;
      cells[x & 0x3fffff] += 1;
    }
    passes++;
  }
  counts[thread * windows + w] = passes;
}
`;

export async function processorPace(seconds = 3, windowMs = 100): Promise<ProcessorPace> {
  const windows = Math.round((seconds * 1000) / windowMs);
  const counts = new Int32Array(new SharedArrayBuffer(2 * windows * 4));
  // Both threads start counting at the same moment, once both have started.
  const start = Date.now() + 200;
  const threads = [0, 1].map((thread) => new Worker(LOOP, { eval: true, workerData: { counts, thread, windows, windowMs, start } }));
  await Promise.all(threads.map((t) => new Promise((resolve, reject) => t.on('exit', resolve).on('error', reject))));
  let slower = 0;
  let both = 0;
  const ratios = Array.from({ length: windows }, (_, w) => {
    const [a, b] = [counts[w], counts[windows + w]];
    slower += Math.min(a, b);
    both += a + b;
    return Math.max(a, b) / Math.max(1, Math.min(a, b));
  }).sort((a, b) => a - b);
  const at = (q: number) => ratios[Math.min(windows - 1, Math.floor(q * windows))];
  return { median: at(0.5), p90: at(0.9), max: ratios[windows - 1], twoWorkersAtMost: (4 * slower) / Math.max(1, both), windows, windowMs };
}
