/*
 * Row delivery with per-synapse weights or delays, in C: the same additions, in the same order, as
 * `oneRingRows` (one ring) and `mixedRows` (weights of both signs, each sign into its own ring) in
 * src/engine/connectivity/delivery.ts, which stay the reference.
 *
 * Why C: a row's additions land at scattered places of a ring far larger than the caches, and each
 * waits on memory. JavaScript and WebAssembly can only wait; C can ask for the ring's cache line a
 * few synapses ahead (a prefetch, which need not complete before the code goes on), so that the
 * misses overlap. The order of the additions, and the rounding of each (no fused multiply-add:
 * -ffp-contract=off), are those of the JavaScript kernel, so the sums are bit for bit the same.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "kernels.h"

/* How many synapses ahead the ring is prefetched: enough misses in flight to cover a miss's wait.
 * On rows of 500 synapses into a 60-slot ring of 38 500 targets: 8 ahead 14–16 ns per synapse,
 * 16 ahead 12.5–13.8, 32 ahead 11.0–12.2, 64 ahead 11.7–12.3. */
#define AHEAD 32

/* One projection's table and the ring it writes into. The JavaScript closure that holds the handle
 * also holds every array below, so none is collected while the handle can be used. */
typedef struct {
  uint32_t n_rows;
  const uint32_t *row_start; /* row r: row_start[r] .. row_end[r] */
  const uint32_t *row_end;
  const uint16_t *targets16; /* one of targets16 and targets32 is set */
  const uint32_t *targets32;
  /* The weights and rings hold doubles, or floats in single precision. */
  int single;
  const void *weights;       /* NULL: every synapse has `weight` */
  double weight;
  const uint16_t *delays;    /* NULL: every synapse has `delay` */
  uint32_t delay;
  void *ring;
  uint32_t size;
  uint32_t slots;
  /* NULL: every synapse writes into `ring`. Otherwise weights of both signs: a weight w >= 0 goes
   * to `ring`, any other to `negative`, which has `negative_slots` slots. */
  void *negative;
  uint32_t negative_slots;
} Rows;

/* Synapse k's weight, in either precision. */
static inline double weight_of(const Rows *rows, uint32_t k) {
  return rows->single ? ((const float *)rows->weights)[k] : ((const double *)rows->weights)[k];
}

/* Whether every synapse of `rows` stays inside the arrays and the ring: the addon writes through raw
 * pointers, so what JavaScript would ignore (a write past a typed array's end) must not happen. */
static const char *out_of_bounds(const Rows *rows, size_t n_synapses, size_t ring_length, size_t negative_length) {
  if ((size_t)rows->slots * rows->size > ring_length) return "the ring is shorter than slots × size";
  if (rows->negative && (size_t)rows->negative_slots * rows->size > negative_length) return "the negative ring is shorter than slots × size";
  /* The table's own rows only: its arrays may hold other tables' rows too. */
  int any = 0;
  for (uint32_t r = 0; r < rows->n_rows; r++) {
    const uint32_t begin = rows->row_start[r], end = rows->row_end[r];
    if (end < begin) return "a row ends before it begins";
    if (end > n_synapses) return "a row goes past the synapses";
    any |= end > begin;
    for (uint32_t k = begin; k < end; k++) {
      const uint32_t target = rows->targets16 ? rows->targets16[k] : rows->targets32[k];
      if (target >= rows->size) return "a target is outside the ring";
      /* One delay for every synapse is checked once, below. */
      if (!rows->delays && !rows->negative) continue;
      const uint32_t delay = rows->delays ? rows->delays[k] : rows->delay;
      const uint32_t slots = rows->negative && !(weight_of(rows, k) >= 0) ? rows->negative_slots : rows->slots;
      if (delay >= slots) return "a delay is not below the ring's slots";
    }
  }
  /* One delay for every synapse: it must fit the ring if there is any synapse to deliver. */
  if (!rows->delays && !rows->negative && any && rows->delay >= rows->slots) return "a delay is not below the ring's slots";
  return NULL;
}

/* tableRows(rowStart, rowEnd, targets, weights | null, weight, delays | null, delay, ring, size, slots,
 *           negative | null, negativeSlots) → handle. Weights and rings: all Float64Arrays, or all
 *           Float32Arrays (single precision). */
static napi_value make_rows(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) { napi_throw_type_error(env, NULL, "native kernels: tableRows() takes 12 arguments"); return NULL; }
  Rows *rows = calloc(1, sizeof(Rows));
  if (rows == NULL) { napi_throw_error(env, NULL, "native kernels: out of memory"); return NULL; }
  int ok = 1;
  void *data;
  size_t length, n_synapses, ring_length, negative_length = 0;
  size_t starts;
  ok &= typed_array(env, argv[0], napi_uint32_array, &data, &starts);
  rows->row_start = data;
  /* A table of its own has one start more than rows: its CSR's end. */
  ok &= typed_array(env, argv[1], napi_uint32_array, &data, &length) && starts >= length;
  rows->row_end = data;
  rows->n_rows = (uint32_t)length;
  if (typed_array(env, argv[2], napi_uint16_array, &data, &n_synapses)) rows->targets16 = data;
  else if (typed_array(env, argv[2], napi_uint32_array, &data, &n_synapses)) rows->targets32 = data;
  else ok = 0;
  /* The ring's precision is the table's: its weights and the negative ring must have it too. */
  const napi_typedarray_type numbers = synaptic_type(env, argv[7]);
  rows->single = numbers == napi_float32_array;
  if (!is_null(env, argv[3])) {
    ok &= typed_array(env, argv[3], numbers, &data, &length) && length >= n_synapses;
    rows->weights = data;
  }
  ok &= napi_get_value_double(env, argv[4], &rows->weight) == napi_ok;
  if (!is_null(env, argv[5])) {
    ok &= typed_array(env, argv[5], napi_uint16_array, &data, &length) && length >= n_synapses;
    rows->delays = data;
  }
  ok &= napi_get_value_uint32(env, argv[6], &rows->delay) == napi_ok;
  ok &= typed_array(env, argv[7], numbers, &data, &ring_length);
  rows->ring = data;
  ok &= napi_get_value_uint32(env, argv[8], &rows->size) == napi_ok;
  ok &= napi_get_value_uint32(env, argv[9], &rows->slots) == napi_ok && rows->slots > 0;
  if (!is_null(env, argv[10])) {
    ok &= typed_array(env, argv[10], numbers, &data, &negative_length);
    rows->negative = data;
    ok &= napi_get_value_uint32(env, argv[11], &rows->negative_slots) == napi_ok && rows->negative_slots > 0;
    ok &= rows->weights != NULL; /* the sign of each weight picks the ring */
  }
  if (!ok) {
    free(rows);
    napi_throw_type_error(env, NULL, "native kernels: tableRows() got an argument of the wrong type or length");
    return NULL;
  }
  const char *problem = out_of_bounds(rows, n_synapses, ring_length, negative_length);
  if (problem) {
    free(rows);
    char message[160];
    snprintf(message, sizeof message, "native kernels: %s", problem);
    napi_throw_range_error(env, NULL, message);
    return NULL;
  }
  return external_handle(env, rows);
}

/* The loop, for one kind of target index, per-synapse weight and per-synapse delay. */
#define DELIVER(TARGETS, WEIGHT, DELAY)                                                      \
  for (uint32_t k = begin; k < end; k++) {                                                   \
    if (k + AHEAD < end) {                                                                   \
      uint32_t ahead = first + (DELAY(k + AHEAD));                                           \
      if (ahead >= slots) ahead -= slots;                                                    \
      __builtin_prefetch(&ring[(size_t)ahead * size + TARGETS[k + AHEAD]], 1);               \
    }                                                                                        \
    uint32_t slot = first + (DELAY(k));                                                      \
    if (slot >= slots) slot -= slots;                                                        \
    ring[(size_t)slot * size + TARGETS[k]] += amount * (WEIGHT(k));                          \
  }

/* Weights of both signs: each synapse's sign picks its ring and that ring's slot. */
#define DELIVER_MIXED(TARGETS, DELAY)                                                        \
  for (uint32_t k = begin; k < end; k++) {                                                   \
    if (k + AHEAD < end) {                                                                   \
      const uint32_t d = DELAY(k + AHEAD);                                                   \
      if (weights[k + AHEAD] >= 0) {                                                         \
        uint32_t ahead = first + d;                                                          \
        if (ahead >= slots) ahead -= slots;                                                  \
        __builtin_prefetch(&ring[(size_t)ahead * size + TARGETS[k + AHEAD]], 1);             \
      } else {                                                                               \
        uint32_t ahead = first_negative + d;                                                 \
        if (ahead >= negative_slots) ahead -= negative_slots;                                \
        __builtin_prefetch(&negative[(size_t)ahead * size + TARGETS[k + AHEAD]], 1);         \
      }                                                                                      \
    }                                                                                        \
    const double w = weights[k];                                                             \
    const uint32_t d = DELAY(k);                                                             \
    if (w >= 0) {                                                                            \
      uint32_t slot = first + d;                                                             \
      if (slot >= slots) slot -= slots;                                                      \
      ring[(size_t)slot * size + TARGETS[k]] += amount * w;                                  \
    } else {                                                                                 \
      uint32_t slot = first_negative + d;                                                    \
      if (slot >= negative_slots) slot -= negative_slots;                                    \
      negative[(size_t)slot * size + TARGETS[k]] += amount * w;                              \
    }                                                                                        \
  }

#define PER_SYNAPSE_WEIGHT(k) weights[k]
#define ONE_WEIGHT(k) weight
#define PER_SYNAPSE_DELAY(k) delays[k]
#define ONE_DELAY(k) delay

#define DELIVER_TARGETS(TARGETS)                                                             \
  if (negative && delays) { DELIVER_MIXED(TARGETS, PER_SYNAPSE_DELAY) }                      \
  else if (negative) { DELIVER_MIXED(TARGETS, ONE_DELAY) }                                   \
  else if (weights && delays) { DELIVER(TARGETS, PER_SYNAPSE_WEIGHT, PER_SYNAPSE_DELAY) }         \
  else if (weights) { DELIVER(TARGETS, PER_SYNAPSE_WEIGHT, ONE_DELAY) }                      \
  else if (delays) { DELIVER(TARGETS, ONE_WEIGHT, PER_SYNAPSE_DELAY) }                       \
  else { DELIVER(TARGETS, ONE_WEIGHT, ONE_DELAY) }

/* The row, with weights and rings of type NUMBER: double, or float in single precision. With
 * floats, each addition is still made in double (`amount` is a double) and rounded once as it is stored,
 * as JavaScript does into a Float32Array. */
#define DELIVER_ROW(NUMBER)                                                                  \
  {                                                                                          \
    const NUMBER *weights = rows->weights;                                                   \
    NUMBER *ring = rows->ring, *negative = rows->negative;                                   \
    if (rows->targets16) {                                                                   \
      const uint16_t *targets = rows->targets16;                                             \
      DELIVER_TARGETS(targets)                                                               \
    } else {                                                                                 \
      const uint32_t *targets = rows->targets32;                                             \
      DELIVER_TARGETS(targets)                                                               \
    }                                                                                        \
  }

/* deliver(handle, row, step, amount) → synapses reached */
static napi_value deliver(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *data;
  uint32_t row, step;
  double amount;
  CHECK(napi_get_value_external(env, argv[0], &data));
  CHECK(napi_get_value_uint32(env, argv[1], &row));
  CHECK(napi_get_value_uint32(env, argv[2], &step));
  CHECK(napi_get_value_double(env, argv[3], &amount));
  const Rows *rows = data;
  if (row >= rows->n_rows) { napi_throw_range_error(env, NULL, "native kernels: no such row"); return NULL; }
  const uint32_t begin = rows->row_start[row], end = rows->row_end[row];
  const uint32_t slots = rows->slots, size = rows->size, delay = rows->delay;
  const uint32_t first = step % slots;
  const double weight = rows->weight;
  const uint16_t *delays = rows->delays;
  const uint32_t negative_slots = rows->negative_slots;
  const uint32_t first_negative = rows->negative ? step % negative_slots : 0;
  if (rows->single) DELIVER_ROW(float)
  else DELIVER_ROW(double)
  napi_value reached;
  CHECK(napi_create_uint32(env, end - begin, &reached));
  return reached;
}

void delivery_exports(napi_env env, napi_value exports) {
  export_function(env, exports, "tableRows", make_rows);
  export_function(env, exports, "deliver", deliver);
}
