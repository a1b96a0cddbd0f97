import test from 'ava';
import { progressLine } from '../src/cli/progress.ts';

test('the progress line measures the real-time factor from the first simulated steps, so building never counts', (t) => {
  // 10 000 steps of 0.1 ms; nothing simulated yet while workers build.
  t.is(progressLine(0, 10000, 1000, 0.1, null, 5000), '[..............................] 0.0/1000.0 ms  building');
  const first = { at: 5000, steps: 1000 };
  t.is(progressLine(1000, 10000, 1000, 0.1, first, 5000), '[###...........................] 100.0/1000.0 ms  rtf –');
  // 400 ms of model time in 1.2 s of wall time since then: rtf 3, and 500 ms of model time left take 1.5 s.
  t.is(progressLine(5000, 10000, 1000, 0.1, first, 6200), '[###############...............] 500.0/1000.0 ms  rtf 3.00  2 s left');
  t.is(progressLine(10000, 10000, 1000, 0.1, first, 7700), '[##############################] 1000.0/1000.0 ms  rtf 3.00  0 s left');
});
