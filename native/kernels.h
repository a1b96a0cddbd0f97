/* What the addon's kernels share: reading typed arrays, and adding functions to the exports. */
#ifndef SPIKEGRID_KERNELS_H
#define SPIKEGRID_KERNELS_H
#include <node_api.h>
#include <stddef.h>

/* The data and length of typed array `value`, if it is of type `expected`. */
static inline int typed_array(napi_env env, napi_value value, napi_typedarray_type expected, void **data, size_t *length) {
  napi_typedarray_type type;
  size_t offset;
  napi_value buffer;
  return napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) == napi_ok && type == expected;
}

/* Adds `function` to `exports` as `name`; false where N-API refused. */
static inline int export_function(napi_env env, napi_value exports, const char *name, napi_callback function) {
  napi_value value;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, function, NULL, &value) == napi_ok
    && napi_set_named_property(env, exports, name, value) == napi_ok;
}

void delivery_exports(napi_env env, napi_value exports);
void poisson_exports(napi_env env, napi_value exports);
void neuron_exports(napi_env env, napi_value exports);

#endif
