for (const size of [1000, 10000, 100000, 200000, 400000]) {
  const ring = new Float64Array(size); const m = 1 << 22; const idx = new Uint32Array(m);
  let x = 12345; for (let i = 0; i < m; i++) { x = (x * 1103515245 + 12345) >>> 0; idx[i] = x % size; }
  function run(ring, idx, w) { for (let k = 0; k < idx.length; k++) ring[idx[k]] += w; }
  run(ring, idx, 0.1); const t0 = performance.now(); for (let r = 0; r < 5; r++) run(ring, idx, 0.1);
  console.log(size * 8 / 1024, 'KB', ((performance.now() - t0) * 1e6 / (5 * m)).toFixed(2), 'ns/event');
}
