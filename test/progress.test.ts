import test from 'ava';
import { ProgressBar, progressLine } from '../src/cli/progress.ts';

test('while the network builds, the progress line says how much of it is built and for how long', (t) => {
  // 10 000 steps of 0.1 ms; nothing simulated yet while workers build.
  t.is(progressLine(0, 10000, 1000, 0.1, null, 5000, { fraction: null, seconds: 0.2 }), '[..............................] 0.0/1000.0 ms  building (0 s)');
  t.is(progressLine(0, 10000, 1000, 0.1, null, 5000, { fraction: 0.427, seconds: 12.4 }), '[..............................] 0.0/1000.0 ms  building 42 % (12 s)');
  t.is(progressLine(0, 10000, 1000, 0.1, null, 5000, { fraction: 1, seconds: 30 }), '[..............................] 0.0/1000.0 ms  building 100 % (30 s)');
});

test('the progress line measures the real-time factor from the first simulated steps, so building never counts', (t) => {
  const building = { fraction: 1, seconds: 5 };
  const first = { at: 5000, steps: 1000 };
  t.is(progressLine(1000, 10000, 1000, 0.1, first, 5000, building), '[###...........................] 100.0/1000.0 ms  rtf –');
  // 400 ms of model time in 1.2 s of wall time since then: rtf 3, and 500 ms of model time left take 1.5 s.
  t.is(progressLine(5000, 10000, 1000, 0.1, first, 6200, building), '[###############...............] 500.0/1000.0 ms  rtf 3.00  2 s left');
  t.is(progressLine(10000, 10000, 1000, 0.1, first, 7700, building), '[##############################] 1000.0/1000.0 ms  rtf 3.00  0 s left');
});

test('where stderr is not a terminal, progress comes as whole lines, one per interval, none in a short run', async (t) => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const written: string[] = [];
  const stream = { write: (text: string) => written.push(text) } as unknown as NodeJS.WritableStream;
  const log = new ProgressBar(stream, 1000, 0.1, 200);
  log.building(0.5);
  log.update(1000, 10000);
  log.update(2000, 10000);
  t.deepEqual(written, [], 'nothing before the first interval');
  await sleep(250);
  log.update(5000, 10000);
  log.update(6000, 10000);
  t.is(written.length, 1, 'one line per interval');
  t.regex(written[0], /^\[###############\.+\] 500\.0\/1000\.0 ms  rtf \d+\.\d\d  \d+ s left\n$/);
  log.update(10000, 10000);
  log.done();
  t.is(written.length, 1, 'the end is left to the summary');

  // On a terminal the bar redraws its line in place and ends it when done.
  const bar = new ProgressBar(stream, 1000, 0.1);
  bar.update(10000, 10000);
  bar.done();
  t.deepEqual(written.slice(1), ['\r[##############################] 1000.0/1000.0 ms  rtf –\x1b[K', '\n']);
});
