/* The native kernels, one Node addon: row delivery (delivery.c), in arrival order (arrivals.c), and its prefetch (rowPrefetch.c), Poisson counts (poisson.c) and neuron updates (neurons.c),
 * and a way to give freed memory back to the system. */
#include "kernels.h"
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* releaseFreeMemory(): gives back to the system the pages that malloc holds free. Arrays freed in
 * the middle of malloc's heaps stay in the process otherwise, until malloc reuses them. */
static napi_value release_free_memory(napi_env env, napi_callback_info info) {
  (void)info;
#ifdef __GLIBC__
  malloc_trim(0);
#endif
  napi_value nothing;
  napi_get_undefined(env, &nothing);
  return nothing;
}

NAPI_MODULE_INIT() {
  delivery_exports(env, exports);
  arrival_exports(env, exports);
  row_prefetch_exports(env, exports);
  poisson_exports(env, exports);
  neuron_exports(env, exports);
  export_function(env, exports, "releaseFreeMemory", release_free_memory);
  return exports;
}
