"""Per-population rates of a PD14 run against the published reference rates.

    python3 bench/pd14_rates.py OUT_DIR [--from MS] [--to MS]      (needs pyarrow)

OUT_DIR is the `--out` folder of `spikegrid run examples/pd14.ts …` (recording spikes). Rates are
counted over [from, to) (default: from 500 ms, after the warm-up, to the end of the run).
"""
import argparse
import json
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.ipc as ipc

# Potjans & Diesmann (2014), full scale, as in NEST's microcircuit example [spikes/s].
REFERENCE = {"L23E": 0.903, "L23I": 2.965, "L4E": 4.414, "L4I": 5.876, "L5E": 7.569, "L5I": 8.633, "L6E": 1.105, "L6I": 7.829}

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--from", dest="start", type=float, default=500.0)
parser.add_argument("--to", dest="stop", type=float, default=None)
args = parser.parse_args()

out = Path(args.out)
run = json.loads((out / "run.json").read_text())
stop = args.stop if args.stop is not None else run["t_ms"]
spikes = ipc.open_file(out / "spikes.arrow").read_all()
window = spikes.filter(pc.and_(pc.greater_equal(spikes["time_ms"], args.start), pc.less(spikes["time_ms"], stop)))
counts = window.group_by("population").aggregate([("neuron", "count")]).to_pydict()
counted = {str(p): n for p, n in zip(counts["population"], counts["neuron_count"])}
seconds = (stop - args.start) / 1000
print(f"rates over [{args.start:g}, {stop:g}) ms")
print(f"{'population':<10} {'rate Hz':>8} {'reference':>9} {'deviation':>9}")
worst = 0.0
for name, reference in REFERENCE.items():
    rate = counted.get(name, 0) / run["populations"][name]["size"] / seconds
    deviation = rate / reference - 1
    worst = max(worst, abs(deviation))
    print(f"{name:<10} {rate:>8.3f} {reference:>9.3f} {100 * deviation:>+8.1f}%")
print(f"largest deviation: {100 * worst:.1f}%")
