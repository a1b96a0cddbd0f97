import { normalizeDescription } from '../../src/ir/normalize.ts';
import { describeNetwork } from '../../src/nn/network.ts';
import { PartitionEngine } from '../../src/engine/partitionEngine.ts';
import { wholeNetwork } from '../../src/engine/layout.ts';
const mod = await import(`../../examples/brunel.ts`);
const d = normalizeDescription(describeNetwork(new (mod.default({ scale: 1 }))()));
const t0 = performance.now(); const e = new PartitionEngine(d, wholeNetwork(d)); console.log('build s', (performance.now() - t0) / 1000, e.synapseCount);
