/* The native kernels, one Node addon: row delivery (delivery.c), Poisson counts (poisson.c) and neuron updates (neurons.c). */
#include "kernels.h"

NAPI_MODULE_INIT() {
  delivery_exports(env, exports);
  poisson_exports(env, exports);
  neuron_exports(env, exports);
  return exports;
}
