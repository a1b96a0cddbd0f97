import { PoissonSampler } from '../../src/random/distributions.ts';
import { bits32 } from '../../src/random/counter.ts';
const s = new PoissonSampler(2);
const n = 6250;
const hi = new Uint32Array(n).map((_, i) => i * 7919), lo = new Uint32Array(n).map((_, i) => i * 104729);
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now(); let acc = 0;
  for (let t = 0; t < 2000; t++) for (let a = 0; a < n; a++) acc += s.sample(hi[a], lo[a], t);
  let t1 = performance.now();
  let acc2 = 0;
  for (let t = 0; t < 2000; t++) for (let a = 0; a < n; a++) acc2 += bits32(hi[a], lo[a], t) & 1;
  let t2 = performance.now();
  console.log('sample ns', ((t1 - t0) * 1e6) / (n * 2000), 'bits32 ns', ((t2 - t1) * 1e6) / (n * 2000), acc / (n * 2000));
}
