/* The native kernels, one Node addon: row delivery (delivery.c) and Poisson counts (poisson.c). */
#include "kernels.h"

NAPI_MODULE_INIT() {
  delivery_exports(env, exports);
  poisson_exports(env, exports);
  return exports;
}
