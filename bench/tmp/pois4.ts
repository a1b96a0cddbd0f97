import { bits32 } from '../../src/random/counter.ts';
import { specialise } from '../../src/engine/specialise.ts';
const n = 6250;
const hi = new Uint32Array(n).map((_, i) => i * 7919), lo = new Uint32Array(n).map((_, i) => i * 104729);
const mean = 2; const terms: number[] = []; let p = Math.exp(-mean), c = 0;
for (let k = 0; c < 1 - 1e-16 && k < 1000; k++) { c += p; terms.push(c); p *= mean / (k + 1); }
const cdf = Float64Array.from(terms);
function f1(keyHi: Uint32Array, keyLo: Uint32Array, cdf: Float64Array, bits32: (a: number, b: number, c: number) => number) {
  const last = cdf.length - 1;
  return (t: number) => { let acc = 0; for (let a = 0; a < keyHi.length; a++) { let count = 0; const u = (bits32(keyHi[a], keyLo[a], t) + 0.5) * 2.3283064365386963e-10; while (count < last && u > cdf[count]) count++; acc += count; } return acc; };
}
function f2(keyHi: Uint32Array, keyLo: Uint32Array, cdf: Float64Array, bits32: (a: number, b: number, c: number) => number) {
  return (t: number) => { let acc = 0; for (let a = 0; a < keyHi.length; a++) { acc += bits32(keyHi[a], keyLo[a], t) & 1; } return acc; };
}
function f3(keyHi: Uint32Array, keyLo: Uint32Array, cdf: Float64Array, bits32: (a: number, b: number, c: number) => number) {
  return (t: number) => { let acc = 0; for (let a = 0; a < keyHi.length; a++) { acc += (bits32(keyHi[a], keyLo[a], t) + 0.5) * 2.3283064365386963e-10; } return acc; };
}
for (const [name, fac] of [['cdf', f1], ['bits&1', f2], ['u', f3]] as const) {
  for (const how of ['plain', 'specialised']) {
    const k = how === 'plain' ? fac(hi, lo, cdf, bits32) : specialise(fac, hi, lo, cdf, bits32);
    let t0 = performance.now(); let acc = 0;
    for (let t = 0; t < 2000; t++) acc += k(t);
    console.log(name, how, 'ns', ((performance.now() - t0) * 1e6) / (n * 2000));
  }
}
const M = 1024; const guide = new Int32Array(M);
for (let m = 0, k = 0; m < M; m++) { while (k < cdf.length - 1 && cdf[k] <= m / M) k++; guide[m] = k; }
function f4(keyHi: Uint32Array, keyLo: Uint32Array, cdf: Float64Array, bits32: (a: number, b: number, c: number) => number, guide: Int32Array) {
  const last = cdf.length - 1;
  return (t: number) => { let acc = 0; for (let a = 0; a < keyHi.length; a++) { const u = (bits32(keyHi[a], keyLo[a], t) + 0.5) * 2.3283064365386963e-10; let count = guide[(u * 1024) | 0]; while (count < last && u > cdf[count]) count++; acc += count; } return acc; };
}
{
  const k1 = specialise(f1, hi, lo, cdf, bits32); const k4 = specialise(f4, hi, lo, cdf, bits32, guide);
  let same = true; for (let t = 0; t < 200; t++) if (k1(t) !== k4(t)) same = false;
  let t0 = performance.now(); let acc = 0;
  for (let t = 0; t < 2000; t++) acc += k4(t);
  console.log('guide', 'ns', ((performance.now() - t0) * 1e6) / (n * 2000), 'same as linear search:', same);
}
function f5(keyHi: Uint32Array, keyLo: Uint32Array, cdf: Float64Array, bits32: (a: number, b: number, c: number) => number, guide: Int32Array) {
  return (t: number) => { let acc = 0; for (let a = 0; a < keyHi.length; a++) { const u = (bits32(keyHi[a], keyLo[a], t) + 0.5) * 2.3283064365386963e-10; acc += guide[(u * 1024) | 0]; } return acc; };
}
function f6(keyHi: Uint32Array, keyLo: Uint32Array, cdf: Float64Array, bits32: (a: number, b: number, c: number) => number, guide: Int32Array) {
  return (t: number) => { let acc = 0; for (let a = 0; a < keyHi.length; a++) { const x = bits32(keyHi[a], keyLo[a], t); acc += guide[x >>> 22]; } return acc; };
}
for (const f of [f5, f6]) {
  const k = specialise(f, hi, lo, cdf, bits32, guide);
  let t0 = performance.now(); let acc = 0;
  for (let t = 0; t < 2000; t++) acc += k(t);
  console.log(f.name, 'ns', ((performance.now() - t0) * 1e6) / (n * 2000));
}
const T = new Float64Array(cdf.length); for (let k = 0; k < cdf.length; k++) T[k] = Math.floor(cdf[k] * 2 ** 32 - 0.5);
const G = new Int32Array(1024); for (let m = 0, k = 0; m < 1024; m++) { while (k < cdf.length - 1 && T[k] < m * 2 ** 22) k++; G[m] = k; }
function f7(keyHi: Uint32Array, keyLo: Uint32Array, T: Float64Array, bits32: (a: number, b: number, c: number) => number, G: Int32Array) {
  const last = T.length - 1;
  return (t: number) => { let acc = 0; for (let a = 0; a < keyHi.length; a++) { const x = bits32(keyHi[a], keyLo[a], t); let count = G[x >>> 22]; while (count < last && x > T[count]) count++; acc += count; } return acc; };
}
{
  const k1 = specialise(f1, hi, lo, cdf, bits32); const k7 = specialise(f7, hi, lo, T, bits32, G);
  let same = true; for (let t = 0; t < 200; t++) if (k1(t) !== k7(t)) same = false;
  let t0 = performance.now(); let acc = 0;
  for (let t = 0; t < 2000; t++) acc += k7(t);
  console.log('int guide', 'ns', ((performance.now() - t0) * 1e6) / (n * 2000), 'same:', same);
}
