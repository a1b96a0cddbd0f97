"""CUBA (Brette et al. 2007) in Brian2, with the parameters of examples/cuba.ts, for a cross-check of
rates: /usr/bin/python3 bench/brian2/cuba.py [n] [seconds]. Prints one JSON line of rates (Hz)."""
import json
import sys

from brian2 import NeuronGroup, Synapses, SpikeMonitor, defaultclock, ms, mV, run, seed, prefs

prefs.codegen.target = 'numpy'
n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
duration = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
seed(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
defaultclock.dt = 0.1 * ms
taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
eqs = '''dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
dge/dt = -ge / taue : volt
dgi/dt = -gi / taui : volt'''
P = NeuronGroup(n, eqs, threshold='v > Vt', reset='v = Vr', refractory=5 * ms, method='exact')
P.v = 'Vr + rand() * (Vt - Vr)'
nE = int(round(0.8 * n))
Ce = Synapses(P, P, on_pre='ge += 1.62 * mV', delay=0.1 * ms)
Ci = Synapses(P, P, on_pre='gi -= 9 * mV', delay=0.1 * ms)
Ce.connect('i < nE', p=0.02)
Ci.connect('i >= nE', p=0.02)
E = SpikeMonitor(P[:nE])
I = SpikeMonitor(P[nE:])
run(duration * 1000 * ms)
print(json.dumps({'E': E.num_spikes / nE / duration, 'I': I.num_spikes / (n - nE) / duration}))
