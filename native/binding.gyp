{
  "targets": [
    {
      "target_name": "delivery",
      "sources": ["delivery.c"],
      "cflags": ["-O2", "-ffp-contract=off"]
    }
  ]
}
