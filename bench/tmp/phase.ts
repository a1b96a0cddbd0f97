import { normalizeDescription } from '../../src/ir/normalize.ts';
import { describeNetwork } from '../../src/nn/network.ts';
import { PartitionEngine } from '../../src/engine/partitionEngine.ts';
import { wholeNetwork } from '../../src/engine/layout.ts';
const mod = await import(`../../examples/brunel.ts`);
const Net = mod.default({ scale: Number(process.argv[2] ?? 0.5) });
const d = normalizeDescription(describeNetwork(new Net()));
const e = new PartitionEngine(d, wholeNetwork(d));
let tg = 0, tp = 0, td = 0;
const L = e.chunkSteps;
for (let first = 0; first < 10000; first += L) {
  e.spikes.count = 0;
  for (let s = 0; s < L; s++) {
    const t = first + s; const slot = t % e.ringSize;
    let a = performance.now();
    for (const g of e.generators) g.emit(t);
    let b = performance.now(); tg += b - a;
    for (const p of e.populations) p.step(t, slot, e.spikes);
    tp += performance.now() - b;
  }
  const a = performance.now(); e.deliver(e.spikes); td += performance.now() - a;
}
console.log({ generators: tg / 1000, populations: tp / 1000, deliver: td / 1000, events: e.neuronEvents, genEvents: e.generatorEvents });
