import { uniform } from '../../src/random/counter.ts';
const mean = 2; const terms: number[] = []; let p = Math.exp(-mean), c = 0;
for (let k = 0; c < 1 - 1e-16 && k < 1000; k++) { c += p; terms.push(c); p *= mean / (k + 1); }
const cdf = Float64Array.from(terms); const last = cdf.length - 1;
function sampleA(hi: number, lo: number, t: number) { const u = uniform(hi, lo, t); let k = 0; while (k < last && u > cdf[k]) k++; return k; }
function sampleB(hi: number, lo: number, t: number) { const u = uniform(hi, lo, t); let k = 0; while (u > cdf[k]) k++; return k; }
function sampleC(hi: number, lo: number, t: number) { return uniform(hi, lo, t) > 0.5 ? 1 : 0; }
const n = 6250;
const hi = new Uint32Array(n).map((_, i) => i * 7919), lo = new Uint32Array(n).map((_, i) => i * 104729);
for (const [name, f] of [['A', sampleA], ['B', sampleB], ['C', sampleC]] as const) {
  for (let rep = 0; rep < 2; rep++) {
    let t0 = performance.now(); let acc = 0;
    for (let t = 0; t < 2000; t++) for (let a = 0; a < n; a++) acc += f(hi[a], lo[a], t);
    console.log(name, 'ns', ((performance.now() - t0) * 1e6) / (n * 2000), acc / (n * 2000));
  }
}
