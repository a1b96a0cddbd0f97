"""Brunel (2000) model A in Brian2, with the parameters of examples/brunel.ts, for a cross-check of
rates: /usr/bin/python3 bench/brian2/brunel.py [scale] [seconds]. Prints one JSON line of rates (Hz)."""
import json
import sys

from brian2 import NeuronGroup, PoissonInput, Synapses, SpikeMonitor, defaultclock, ms, mV, Hz, run, seed, prefs

prefs.codegen.target = 'numpy'
scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
duration = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
seed(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
defaultclock.dt = 0.1 * ms
nE, nI = int(round(10000 * scale)), int(round(2500 * scale))
J, g, eta, tau, theta, Vr = 0.1 * mV, 5.0, 2.0, 20 * ms, 20 * mV, 10 * mV
CE_ext = 1000
nu_thr = theta / (J * CE_ext * tau)
P = NeuronGroup(nE + nI, 'dv/dt = -v / tau : volt (unless refractory)', threshold='v >= theta', reset='v = Vr',
                refractory=2 * ms, method='exact')
P.v = 'rand() * theta'
S = Synapses(P, P, 'w : volt', on_pre='v += w', delay=1.5 * ms)
S.connect(p=0.1)
S.w['i < nE'] = J
S.w['i >= nE'] = -g * J
ext = PoissonInput(P, 'v', N=CE_ext, rate=eta * nu_thr, weight=J)
E = SpikeMonitor(P[:nE])
I = SpikeMonitor(P[nE:])
run(duration * 1000 * ms)
print(json.dumps({'E': E.num_spikes / nE / duration, 'I': I.num_spikes / nI / duration}))
