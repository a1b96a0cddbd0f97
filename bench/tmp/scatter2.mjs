const size = 20000;
const ring = new Float64Array(size); const m = 1 << 22; const idx = new Uint32Array(m);
let x = 12345; for (let i = 0; i < m; i++) { x = (x * 1103515245 + 12345) >>> 0; idx[i] = x % size; }
function run1(ring, idx, w) { for (let k = 0; k < idx.length; k++) ring[idx[k]] += w; }
function run2(ring, idx, w) { const n = idx.length; let k = 0; for (; k + 4 <= n; k += 4) { const a = idx[k], b = idx[k+1], c = idx[k+2], d = idx[k+3]; ring[a] += w; ring[b] += w; ring[c] += w; ring[d] += w; } for (; k < n; k++) ring[idx[k]] += w; }
const idx2 = new Int32Array(idx);
function run3(ring, idx, w) { for (let k = 0; k < idx.length; k++) ring[idx[k]] += w; }
for (const [name, f, ix] of [['plain', run1, idx], ['unroll4', run2, idx], ['int32 idx', run3, idx2]]) {
  f(ring, ix, 0.1); const t0 = performance.now(); for (let r = 0; r < 5; r++) f(ring, ix, 0.1);
  console.log(name, ((performance.now() - t0) * 1e6 / (5 * m)).toFixed(2), 'ns/event');
}
