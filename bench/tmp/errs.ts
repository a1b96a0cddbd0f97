import { normalizeDescription } from '/work/main/src/ir/normalize.ts';
const base = () => ({
  populations: [{ name: 'E', model: 'ExpLIF', size: 10 }, { name: 'I', model: 'LIF', size: 5 }],
  generators: [{ name: 'P', model: 'PoissonGenerator', size: 10, params: { rate: 10 } }],
  projections: [{ name: 'syn', pre: 'E', post: 'I', conn: { FixedProb: { p: 0.1 } } }],
  monitors: [{ target: 'E', attr: 'v' }],
}) as any;
const cases: Array<[string, (d: any) => void]> = [
  ['negative size', (d) => (d.populations[0].size = -5)],
  ['fractional size', (d) => (d.populations[0].size = 2.5)],
  ['unknown param', (d) => (d.populations[0].params = { tau_mm: 5 })],
  ['alias conflict', (d) => (d.populations[0].params = { tau: 5, tau_m: 6 })],
  ['tau_m <= 0', (d) => (d.populations[0].params = { tau_m: 0 })],
  ['V_reset >= V_th', (d) => (d.populations[0].params = { V_reset: -50, V_th: -55 })],
  ['R and C_m', (d) => (d.populations[0].params = { R: 1, C_m: 2 })],
  ['unknown model', (d) => (d.populations[0].model = 'Izhikevich')],
  ['duplicate name', (d) => (d.populations[1].name = 'E')],
  ['dt 0', (d) => (d.dt = 0)],
  ['seed negative', (d) => (d.seed = -1)],
  ['pre unknown', (d) => (d.projections[0].pre = 'X')],
  ['post generator', (d) => (d.projections[0].post = 'P')],
  ['delay 0', (d) => (d.projections[0].delay_step = 0)],
  ['delay 1.5', (d) => (d.projections[0].delay_step = 1.5)],
  ['p 1.5', (d) => (d.projections[0].conn = { FixedProb: { p: 1.5 } })],
  ['weights length', (d) => (d.projections[0] = { ...d.projections[0], conn: { All2All: {} }, weight: [1, 2, 3] })],
  ['weights for random rule', (d) => (d.projections[0].weight = [1, 2, 3])],
  ['one2one sizes', (d) => (d.projections[0].conn = { One2One: {} })],
  ['indegree too big', (d) => (d.projections[0].conn = { FixedInDegree: { degree: 11, multi_conn: false } })],
  ['unknown rule', (d) => (d.projections[0].conn = { FixedNumber: { n: 3 } })],
  ['custom out of range', (d) => (d.projections[0].conn = { CustomConn: { pre: [0, 10], post: [1, 2] } })],
  ['custom length', (d) => (d.projections[0].conn = { CustomConn: { pre: [0, 1], post: [1] } })],
  ['monitor unknown name', (d) => (d.monitors[0].target = 'ExpLIF_7')],
  ['monitor unknown attr', (d) => (d.monitors[0].attr = 'w')],
  ['monitor slice', (d) => (d.monitors[0].slice = [0, 11])],
  ['normal sd negative', (d) => (d.projections[0].weight = { Normal: { mean: 1, sd: -1 } })],
  ['uniform low>high', (d) => (d.populations[0].v_init = { Uniform: { low: -50, high: -60 } })],
  ['rate negative', (d) => (d.generators[0].params.rate = -3)],
  ['MAT multapses', (d) => (d.projections[0] = { ...d.projections[0], conn: { FixedInDegree: { degree: 3 } }, conn_repr: 'MAT' })],
  ['spike times length', (d) => d.generators.push({ name: 'S', model: 'SpikeGenerator', size: 2, params: { spike_times: [[1]] } })],
  ['delay and delay_step', (d) => (d.projections[0] = { ...d.projections[0], delay: 1, delay_step: 2 })],
  ['unknown top-level key', (d) => (d.neurons = [])],
  ['v_init array length', (d) => (d.populations[0].v_init = [1, 2])],
];
for (const [name, mutate] of cases) {
  const d = base(); mutate(d);
  try { normalizeDescription(d); console.log(name, '=> NO ERROR'); } catch (e: any) { console.log(JSON.stringify([name, e.code, e.message])); }
}
