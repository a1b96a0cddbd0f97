import test from 'ava';
import { GeometricSkips, LARGEST_GAP, gapOf } from '../src/random/geometricSkips.ts';
import { Purpose, bits32, streamKey } from '../src/random/counter.ts';

test('tabulated FixedProb gaps equal the formula at every bucket edge, every crossing and a million draws', (t) => {
  const bucket = 2 ** 20;
  for (const p of [0.9, 0.5, 0.3, 0.1, 0.0437, 0.01, 0.005, 0.001]) {
    const skips = new GeometricSkips(p);
    const probes: number[] = [];
    for (let b = 0; b < 4096; b++) for (const dx of [-2, -1, 0, 1, bucket - 2, bucket - 1, bucket]) probes.push(b * bucket + dx);
    // Around each change of the gap, found by bisection on the formula itself.
    for (let m = 1; m <= Math.min(gapOf(0, skips.logQ), 3000); m++) {
      let lo = 0;
      let hi = 2 ** 32 - 1;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (gapOf(mid, skips.logQ) >= m) lo = mid;
        else hi = mid;
      }
      for (let dx = -5; dx <= 5; dx++) probes.push(lo + dx);
    }
    const { hi, lo } = streamKey(3, Purpose.connect, 0, 0);
    for (let c = 0; c < 1_000_000; c++) probes.push(bits32(hi, lo, c));
    let wrong = 0;
    for (const x of probes) if (x >= 0 && x < 2 ** 32 && skips.gap(x) !== gapOf(x, skips.logQ)) wrong++;
    t.is(wrong, 0, `p = ${p}: ${wrong} of ${probes.length} gaps differ`);
    const tabulated = skips.guide.filter((g) => g >= 0).length;
    if (p >= 0.1) t.true(tabulated > 0.95 * 4096, `p = ${p}: only ${tabulated} of 4096 buckets tabulated`);
  }
});

test('gaps beyond the largest 32-bit integer come back as it, and every gap is a 32-bit integer', (t) => {
  // p = 1e-9: gapOf(0) ≈ 2.3·10¹⁰, past any population; x = 2³¹ gives ≈ 6.9·10⁸, exactly.
  const skips = new GeometricSkips(1e-9);
  t.true(gapOf(0, skips.logQ) > LARGEST_GAP);
  t.is(skips.gap(0), LARGEST_GAP);
  const middle = gapOf(2 ** 31, skips.logQ);
  t.true(middle > 6e8 && middle < LARGEST_GAP);
  t.is(skips.gap(2 ** 31), middle);
  for (const x of [0, 1, 2 ** 20, 2 ** 31, 2 ** 32 - 1]) t.is(skips.gap(x) | 0, skips.gap(x), `x = ${x}`);
});
