# -ffp-contract=off: no fused multiply-add, so each sum is rounded as JavaScript rounds it.
# -fno-trapping-math: lets the neuron updates run without branches (JavaScript never traps either).
{
  "targets": [
    {
      "target_name": "kernels",
      "sources": ["addon.c", "delivery.c", "arrivals.c", "neurons.c", "poisson.c", "rowPrefetch.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-trapping-math"]
    }
  ]
}
