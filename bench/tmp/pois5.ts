import { PoissonSource } from '../../src/engine/generators.ts';
import { rowDelivery } from '../../src/engine/connectivity/delivery.ts';
import { SynapseTableBuilder } from '../../src/engine/connectivity/synapseTable.ts';
const n = Number(process.argv[2] ?? 6250), R = 16;
const b = new SynapseTableBuilder(n, 0.1, 15, n); for (let i = 0; i < n; i++) b.add(i, i, 0.1, 15);
const table = b.build();
const target = { size: n, ringPositive: new Float64Array(R * n), ringNegative: new Float64Array(R * n), ringCurrent: new Float64Array(R * n) };
const deliver = rowDelivery(table, target, R, 'synaptic');
const src = new PoissonSource({ name: 'p', model: 'PoissonGenerator', size: n, params: { rate: 20000, start: 0, stop: 1e300 } }, 0, 1, 0.1, [{ table, deliver, uniformRing: target.ringPositive, targetSize: n, ringSize: R }]);
for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  for (let t = 0; t < 2000; t++) { src.emit(t); }
  console.log('ns per draw', ((performance.now() - t0) * 1e6) / (n * 2000), src.tally.events);
}
