/*
 * Poisson counts in C: the same counts as the JavaScript kernels in src/engine/generators.ts and
 * src/engine/poissonBank.ts, which stay the reference. A count is the guide table's entry for the
 * output's random word (`keyedBits` in src/random/counter.ts: integer arithmetic, the same in C),
 * or, where a threshold cuts the entry's bucket, the search of `countFrom` in
 * src/random/distributions.ts (the same comparisons of the word with the same doubles).
 *
 * Why C: the words of a step's outputs are independent, so the hashing runs on eight outputs at once
 * in AVX2 where the processor has it (a second copy of the loop, picked when the addon loads).
 * JavaScript has no such instructions: ≈ 8 ns a count there, ≈ 1.4 ns here (micro-benchmark,
 * 6 250 outputs). Where each output has one synapse, the counts' additions into the ring are here
 * too (`addCounts`).
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include "kernels.h"

typedef struct {
  uint32_t n;
  const uint32_t *key_hi;
  const uint32_t *key_lo;
  const double *thresholds;
  uint32_t n_thresholds;
  const int32_t *guide; /* 2^(32 − guide_shift) entries */
  uint32_t guide_shift;
} Draws;

/* `keyedBits` for outputs [from, from + n): MurmurHash3's finaliser with the low key word, then with the high one. */
VECTOR_CLONES static void keyed_bits(const uint32_t *hi, const uint32_t *lo, uint32_t mixed, uint32_t n, uint32_t *out) {
  for (uint32_t a = 0; a < n; a++) {
    uint32_t x = mixed ^ lo[a];
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    x += hi[a];
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    out[a] = x;
  }
}

/* What the words hashed at a time take on the stack. */
#define PIECE 1024

/* poissonDraws(keyHi, keyLo, thresholds, guide, guideShift) → handle */
static napi_value make_draws(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5) {
    napi_throw_type_error(env, NULL, "native kernels: poissonDraws() takes 5 arguments");
    return NULL;
  }
  Draws *draws = calloc(1, sizeof(Draws));
  if (draws == NULL) { napi_throw_error(env, NULL, "native kernels: out of memory"); return NULL; }
  void *data;
  size_t length, n_lo, n_thresholds, guide_length;
  int ok = typed_array(env, argv[0], napi_uint32_array, &data, &length);
  draws->key_hi = data;
  ok &= typed_array(env, argv[1], napi_uint32_array, &data, &n_lo) && n_lo == length;
  draws->key_lo = data;
  ok &= typed_array(env, argv[2], napi_float64_array, &data, &n_thresholds);
  draws->thresholds = data;
  ok &= typed_array(env, argv[3], napi_int32_array, &data, &guide_length);
  draws->guide = data;
  ok &= napi_get_value_uint32(env, argv[4], &draws->guide_shift) == napi_ok && draws->guide_shift < 32
    && ((size_t)1 << (32 - draws->guide_shift)) == guide_length;
  draws->n = (uint32_t)length;
  draws->n_thresholds = (uint32_t)n_thresholds;
  /* A search stops at the first threshold that no 32-bit word exceeds, or at the last: the largest
   * count, which must fit a byte. Every guide entry must be a count up to it, or the complement of one. */
  uint32_t largest = 0;
  while (ok && largest + 1 < n_thresholds && draws->thresholds[largest] < 4294967295.0) largest++;
  ok &= largest <= 255;
  for (size_t g = 0; ok && g < guide_length; g++) {
    const int32_t k = draws->guide[g] < 0 ? ~draws->guide[g] : draws->guide[g];
    ok &= k >= 0 && (uint32_t)k <= largest;
  }
  return handle_or_refusal(env, ok, draws, "native kernels: poissonDraws() got an argument of the wrong type or length");
}

/* drawCounts(handle, mixed, from, to, counts, offset): counts[offset + a] for outputs a in [from, to), at the step whose `mixCounter` is `mixed`. */
static napi_value draw_counts(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  void *data, *counts_data;
  size_t n_counts;
  uint32_t mixed, from, to, offset;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 6 || napi_get_value_external(env, argv[0], &data) != napi_ok
    || napi_get_value_uint32(env, argv[1], &mixed) != napi_ok || napi_get_value_uint32(env, argv[2], &from) != napi_ok
    || napi_get_value_uint32(env, argv[3], &to) != napi_ok || !typed_array(env, argv[4], napi_uint8_array, &counts_data, &n_counts)
    || napi_get_value_uint32(env, argv[5], &offset) != napi_ok) {
    napi_throw_type_error(env, NULL, "native kernels: drawCounts() takes a handle, three numbers, a Uint8Array and a number");
    return NULL;
  }
  const Draws *draws = data;
  if (from > to || to > draws->n || (size_t)offset + to > n_counts) {
    napi_throw_range_error(env, NULL, "native kernels: drawCounts() outside its outputs or counts");
    return NULL;
  }
  uint8_t *counts = counts_data;
  const int32_t last = (int32_t)draws->n_thresholds - 1; /* -1 where there is no threshold: no search */
  const uint32_t shift = draws->guide_shift;
  uint32_t words[PIECE];
  for (uint32_t begin = from; begin < to; begin += PIECE) {
    const uint32_t n = to - begin < PIECE ? to - begin : PIECE;
    keyed_bits(draws->key_hi + begin, draws->key_lo + begin, mixed, n, words);
    for (uint32_t i = 0; i < n; i++) {
      const uint32_t x = words[i];
      int32_t k = draws->guide[x >> shift];
      if (k < 0) {
        k = ~k;
        while (k < last && (double)x > draws->thresholds[k]) k++;
      }
      counts[offset + begin + i] = (uint8_t)k;
    }
  }
  return NULL;
}

/* The inputs of outputs with one synapse each (`poissonEmitOneEach`): output a's count times
 * `weight` goes to `targetOf[a]` of one slot of `ring`, whose slots are `size` long. */
typedef struct {
  uint32_t n;
  const uint32_t *target_of;
  double weight;
  void *ring; /* doubles, or floats in single precision (`single`) */
  int single;
  size_t ring_length;
  uint32_t size;
} OneEach;

/* oneEachInputs(targetOf, weight, ring, size) → handle; ring: a Float64Array, or a Float32Array in single precision */
static napi_value make_one_each(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  void *targets_data, *ring_data;
  size_t n, ring_length;
  double weight;
  uint32_t size;
  napi_typedarray_type ring_type = napi_float64_array;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4
    || !typed_array(env, argv[0], napi_uint32_array, &targets_data, &n) || napi_get_value_double(env, argv[1], &weight) != napi_ok
    || !typed_array(env, argv[2], ring_type = synaptic_type(env, argv[2]), &ring_data, &ring_length)
    || napi_get_value_uint32(env, argv[3], &size) != napi_ok || size == 0 || size > ring_length) {
    napi_throw_type_error(env, NULL, "native kernels: oneEachInputs() takes a Uint32Array, a weight, a Float64Array or Float32Array and the ring's slot length");
    return NULL;
  }
  const uint32_t *target_of = targets_data;
  for (size_t a = 0; a < n; a++) {
    if (target_of[a] >= size) { napi_throw_range_error(env, NULL, "native kernels: oneEachInputs() got a target outside the ring's slot"); return NULL; }
  }
  OneEach *inputs = calloc(1, sizeof(OneEach));
  if (inputs == NULL) { napi_throw_error(env, NULL, "native kernels: out of memory"); return NULL; }
  *inputs = (OneEach){ .n = (uint32_t)n, .target_of = target_of, .weight = weight, .ring = ring_data, .single = ring_type == napi_float32_array, .ring_length = ring_length, .size = size };
  return external_handle(env, inputs);
}

/* addCounts(handle, counts, offset, from, to, base) → events: adds counts[offset + a] × weight to
 * ring[base + targetOf[a]] for outputs a in [from, to), in that order, as `poissonEmitOneEach` does. */
static napi_value add_counts(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  void *data, *counts_data;
  size_t n_counts;
  uint32_t offset, from, to, base;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 6 || napi_get_value_external(env, argv[0], &data) != napi_ok
    || !typed_array(env, argv[1], napi_uint8_array, &counts_data, &n_counts) || napi_get_value_uint32(env, argv[2], &offset) != napi_ok
    || napi_get_value_uint32(env, argv[3], &from) != napi_ok || napi_get_value_uint32(env, argv[4], &to) != napi_ok
    || napi_get_value_uint32(env, argv[5], &base) != napi_ok) {
    napi_throw_type_error(env, NULL, "native kernels: addCounts() takes a handle, a Uint8Array and four numbers");
    return NULL;
  }
  const OneEach *inputs = data;
  if (from > to || to > inputs->n || (size_t)offset + to > n_counts || (size_t)base + inputs->size > inputs->ring_length) {
    napi_throw_range_error(env, NULL, "native kernels: addCounts() outside its outputs, counts or ring");
    return NULL;
  }
  const uint8_t *counts = (const uint8_t *)counts_data + offset;
  const double weight = inputs->weight;
  uint64_t events = 0;
  /* Into floats, each addition is made in double and rounded once, as JavaScript does. */
#define ADD_COUNTS(NUMBER)                                                                   \
  {                                                                                          \
    NUMBER *slot = (NUMBER *)inputs->ring + base;                                            \
    for (uint32_t a = from; a < to; a++) {                                                   \
      const uint8_t count = counts[a];                                                       \
      slot[inputs->target_of[a]] += count * weight;                                          \
      events += count;                                                                       \
    }                                                                                        \
  }
  if (inputs->single) ADD_COUNTS(float)
  else ADD_COUNTS(double)
  napi_value result;
  return napi_create_double(env, (double)events, &result) == napi_ok ? result : NULL;
}

void poisson_exports(napi_env env, napi_value exports) {
  export_function(env, exports, "poissonDraws", make_draws);
  export_function(env, exports, "drawCounts", draw_counts);
  export_function(env, exports, "oneEachInputs", make_one_each);
  export_function(env, exports, "addCounts", add_counts);
}
