/* What the addon's kernels share: the AVX2 copies of loops, reading typed arrays, handles to C data, and exports. */
#ifndef SPIKEGRID_KERNELS_H
#define SPIKEGRID_KERNELS_H
#include <node_api.h>
#include <stddef.h>
#include <stdlib.h>

/* A copy of a loop for AVX2 beside the plain one, picked when the addon loads (an ifunc: GCC on x86-64 with glibc). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__GLIBC__)
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VECTOR_CLONES
#endif

/* The data and length of typed array `value`, if it is of type `expected`. */
static inline int typed_array(napi_env env, napi_value value, napi_typedarray_type expected, void **data, size_t *length) {
  napi_typedarray_type type;
  size_t offset;
  napi_value buffer;
  return napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) == napi_ok && type == expected;
}

/* The type of synaptic numbers (weights, input rings) `value` holds: Float32Array in single
 * precision, Float64Array otherwise (what the caller then checks it against). */
static inline napi_typedarray_type synaptic_type(napi_env env, napi_value value) {
  void *data;
  size_t length;
  return typed_array(env, value, napi_float32_array, &data, &length) ? napi_float32_array : napi_float64_array;
}

/* Returns NULL from a function that `napi_env env` runs in, with an error, where an N-API call fails. */
#define CHECK(call) \
  do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "native kernels: " #call " failed"); return NULL; } } while (0)

/* Whether `value` is JavaScript's null. */
static inline int is_null(napi_env env, napi_value value) {
  napi_valuetype type;
  return napi_typeof(env, value, &type) == napi_ok && type == napi_null;
}

/* Adds `function` to `exports` as `name`; false where N-API refused. */
static inline int export_function(napi_env env, napi_value exports, const char *name, napi_callback function) {
  napi_value value;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, function, NULL, &value) == napi_ok
    && napi_set_named_property(env, exports, name, value) == napi_ok;
}

/* Frees a handle's data once JavaScript lets go of the handle. */
static inline void free_external(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  free(data);
}

/* A handle to `data` that `finalize` frees when JavaScript lets go of the handle; freed at once where N-API refuses. */
static inline napi_value owned_handle(napi_env env, void *data, napi_finalize finalize) {
  napi_value handle;
  if (napi_create_external(env, data, finalize, NULL, &handle) != napi_ok) {
    finalize(env, data, NULL);
    return NULL;
  }
  return handle;
}

/* A handle to `data` (malloc'd, holding no other allocation) that frees it when JavaScript lets go of the handle. */
static inline napi_value external_handle(napi_env env, void *data) {
  return owned_handle(env, data, free_external);
}

/* What a constructor of a handle returns: the handle to `data` where its arguments were `ok`;
 * otherwise `data` is freed and a TypeError says `refusal`. */
static inline napi_value handle_or_refusal(napi_env env, int ok, void *data, const char *refusal) {
  if (!ok) {
    free(data);
    napi_throw_type_error(env, NULL, refusal);
    return NULL;
  }
  return external_handle(env, data);
}

void delivery_exports(napi_env env, napi_value exports);
void arrival_exports(napi_env env, napi_value exports);
void poisson_exports(napi_env env, napi_value exports);
void neuron_exports(napi_env env, napi_value exports);
void row_prefetch_exports(napi_env env, napi_value exports);

#endif
