{
  "targets": [
    {
      "target_name": "kernels",
      "sources": ["addon.c", "delivery.c", "poisson.c"],
      "cflags": ["-O3", "-ffp-contract=off"]
    }
  ]
}
