/**
 * The seed network, ported line for line from NeurAI: Poisson-driven ExpLIF neurons (lif0) feeding
 * a second population (lif1) that also gets a short DC pulse.
 *
 *   node --import tsx examples/seed.ts          runs 5 ms and writes the two plots
 *   npx spikegrid run examples/seed.ts --t 100  runs it through the CLI
 */
import { nn, ConnectRepr, MonitorBS, MonitorConf, MemoryRecorder, visualization, isMain } from '../index.ts';

class SimNet extends nn.SNet {
  setup() {
    this.lif0 = new nn.ExpLIF({ size: 100, v_init: -55, V_rest: -60, V_th: -50, V_reset: -60, tau: 20, I_e: 0 });
    this.lif1 = new nn.ExpLIF({ size: 100, v_init: -55, V_rest: -60, V_th: -50, V_reset: -60, tau: 20, I_e: 0 });
    this.poisson = new nn.PoissonGenerator({ size: 100, rate: 1000 });
    this.dc = new nn.DCGenerator({ size: 100, amplitude: 50, start: 0.5, stop: 1.5 });
    this.synapse0 = new nn.StaticSynapse({ pre: this.poisson, post: this.lif0, conn: new nn.One2One(), weight: 1000 });
    this.dc_conn = new nn.StaticSynapse(this.dc, this.lif1, { conn: new nn.One2One() });
    this.synapse1 = new nn.StaticSynapse({ pre: this.lif0, post: this.lif1,
      conn: new nn.FixedTotalNum(80, false), conn_repr: ConnectRepr.MAT, weight: 5, delay_step: 2 });
  }
}
class SNetwork extends nn.Module {
  setup() { this.network = new nn.SNetLayer(SimNet); }
  __call__(input?: unknown, t = 0, monitor?: MonitorBS) {
    const [, mon] = this.network.__call__({ input, t, monitor }); return mon;
  }
}
export default SNetwork;

if (isMain(import.meta)) {
  const net = new SNetwork();
  const monitorbs = new MonitorBS({ monitors: [new MonitorConf('ExpLIF_0', 'spike'), new MonitorConf('ExpLIF_0', 'v')], recorder: new MemoryRecorder() });
  const param = net.init();
  const mon = net.run(param, { t: 5.0, monitor: monitorbs });
  visualization.raster_plot(mon.ts, mon['ExpLIF_0.spike'], { show: true, save: true, title: 'ExpLIF_0.spike' });
  visualization.line_plot(mon.ts, mon['ExpLIF_0.v'].col(0), { xlabel: 'Time(ms)', ylabel: 'ExpLIF_0.V(mv)', save: true, title: 'ExpLIF_0.v' });
}
