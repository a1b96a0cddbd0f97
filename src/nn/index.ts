/** `nn`: what users write — populations, generators, synapses, connection rules, networks. */
export { ExpLIF, LIF, NeuronGroup } from './neurons.ts';
export { PoissonGenerator, DCGenerator, SpikeGenerator, Generator } from './generators.ts';
export { StaticSynapse } from './synapses.ts';
export { One2One, All2All, FixedProb, FixedTotalNum, FixedInDegree, FixedIndegree, FixedOutDegree, CustomConn, ConnectRepr } from './connections.ts';
export { Uniform, Normal } from './initializers.ts';
export { SNet, SNetLayer, Module, describeNetwork, type SNetClass } from './network.ts';
