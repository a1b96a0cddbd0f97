/*
 * The neuron updates in C: the same arithmetic, in the same order, with the same rounding (no fused
 * multiply-add: -ffp-contract=off), as `lifStep` in src/engine/models/lif.ts and `expLifStep` in
 * src/engine/models/expLif.ts, which stay the reference; the spikes come out in the same order.
 *
 * Why C: the update of one neuron does not depend on another's, so written without branches it runs
 * on four neurons at once in AVX2 where the processor has it (a second copy of the loop, picked when
 * the addon loads). JavaScript updates one neuron at a time. A first pass updates a piece of the
 * neurons and marks those that fired; a second collects the marked ones, in order.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernels.h"

enum Model { LIF, EXP_LIF };

/* One population's state and constants (the arrays belong to its JavaScript object, which the handle's closure holds). */
typedef struct {
  enum Model model;
  uint32_t size, gid_start, refractory_steps;
  double *v, *i_ex, *i_in, *i_dc;
  int32_t *refractory;
  /* LIF: one synaptic ring, ring_positive. Doubles, or floats in single precision (`single`). */
  void *ring_positive, *ring_negative, *ring_current;
  int single;
  uint32_t positive_slots, negative_slots, current_slots;
  /* LIF: p33, p30, I_e, theta, V_reset, V_min, constant drive.
   * ExpLIF: p22, p11ex, p11in, p21ex, p21in, p20, I_e, theta, V_reset, constant drive. */
  double c[10];
} Population;

/* What the neurons update at a time: their fired marks take a piece of the stack. */
#define PIECE 1024

/* Both models' end of neuron i's update, with its new V `vi` and the refractory steps `left`:
 * at or above threshold it fires, is reset and starts its refractory period. */
#define THRESHOLD(vi, left)                                                          \
  {                                                                                  \
    const int spike = (vi) >= theta;                                                 \
    refractory[i] = spike ? refractory_steps : (left);                               \
    v[i] = spike ? v_reset : (vi);                                                   \
    fired[i] = (uint8_t)spike;                                                       \
  }

/* `lifStep`'s update of neuron i, its input current given by DRIVE. */
#define LIF_NEURON(DRIVE)                                                            \
  {                                                                                  \
    double vi = v[i];                                                                \
    const int32_t r = refractory[i];                                                 \
    double next = p33 * vi + (DRIVE) + ring[i];                                      \
    next = next < v_min ? v_min : next;                                              \
    vi = r == 0 ? next : vi;                                                         \
    const int32_t left = r == 0 ? 0 : r - 1;                                         \
    ring[i] = 0;                                                                     \
    THRESHOLD(vi, left)                                                              \
  }

/* `expLifStep`'s update of neuron i, its input current given by DRIVE. */
#define EXP_LIF_NEURON(DRIVE)                                                        \
  {                                                                                  \
    double vi = v[i];                                                                \
    const double ex = i_ex[i], inh = i_in[i];                                        \
    const int32_t r = refractory[i];                                                 \
    const double next = vi * p22 + ex * p21ex + inh * p21in + (DRIVE);               \
    vi = r == 0 ? next : vi;                                                         \
    const int32_t left = r == 0 ? 0 : r - 1;                                         \
    i_ex[i] = ex * p11ex + ring_positive[i];                                         \
    i_in[i] = inh * p11in + ring_negative[i];                                        \
    ring_positive[i] = 0;                                                            \
    ring_negative[i] = 0;                                                            \
    THRESHOLD(vi, left)                                                              \
  }

/*
 * The updates of a piece of neurons, with input rings of type NUMBER: double, or float in single
 * precision. A ring's number is read as a double, as JavaScript reads a Float32Array, so both give
 * each neuron the same input.
 */
#define PIECES(NUMBER)                                                                              \
/* The generator current of the next step: what the current ring holds for this one, which it then forgets. */\
static inline void take_current_##NUMBER(uint32_t n, double *restrict i_dc, NUMBER *restrict ring_current) {\
  for (uint32_t i = 0; i < n; i++) {                                                                \
    i_dc[i] = ring_current[i];                                                                      \
    ring_current[i] = 0;                                                                            \
  }                                                                                                 \
}                                                                                                   \
                                                                                                    \
/* `lifStep`'s loop over neurons [0, n) of the arrays given, marking in `fired` those that fired. */\
VECTOR_CLONES static void lif_piece_##NUMBER(                                                       \
  uint32_t n, double *restrict v, int32_t *restrict refractory, NUMBER *restrict ring, double *restrict i_dc,\
  NUMBER *restrict ring_current, const double *c, int32_t refractory_steps, uint8_t *restrict fired) {\
  const double p33 = c[0], p30 = c[1], i_e = c[2], theta = c[3], v_reset = c[4], v_min = c[5], constant_drive = c[6];\
  if (i_dc) {                                                                                       \
    for (uint32_t i = 0; i < n; i++) LIF_NEURON(p30 * (i_e + i_dc[i]))                              \
    take_current_##NUMBER(n, i_dc, ring_current);                                                   \
  } else {                                                                                          \
    for (uint32_t i = 0; i < n; i++) LIF_NEURON(constant_drive)                                     \
  }                                                                                                 \
}                                                                                                   \
                                                                                                    \
/* `expLifStep`'s loop over neurons [0, n) of the arrays given, marking in `fired` those that fired. */\
VECTOR_CLONES static void exp_lif_piece_##NUMBER(                                                   \
  uint32_t n, double *restrict v, double *restrict i_ex, double *restrict i_in, int32_t *restrict refractory,\
  NUMBER *restrict ring_positive, NUMBER *restrict ring_negative, double *restrict i_dc, NUMBER *restrict ring_current,\
  const double *c, int32_t refractory_steps, uint8_t *restrict fired) {                             \
  const double p22 = c[0], p11ex = c[1], p11in = c[2], p21ex = c[3], p21in = c[4], p20 = c[5], i_e = c[6], theta = c[7], v_reset = c[8],\
    constant_drive = c[9];                                                                          \
  if (i_dc) {                                                                                       \
    for (uint32_t i = 0; i < n; i++) EXP_LIF_NEURON((i_e + i_dc[i]) * p20)                          \
    take_current_##NUMBER(n, i_dc, ring_current);                                                   \
  } else {                                                                                          \
    for (uint32_t i = 0; i < n; i++) EXP_LIF_NEURON(constant_drive)                                 \
  }                                                                                                 \
}                                                                                                   \

PIECES(double)
PIECES(float)

/* A typed array of `type` with exactly `length` values, or (where `optional`) null. */
static int numbers(napi_env env, napi_value value, napi_typedarray_type type, size_t length, int optional, void **data) {
  if (optional && is_null(env, value)) { *data = NULL; return 1; }
  size_t n;
  return typed_array(env, value, type, data, &n) && n == length;
}

/* A Float64Array of exactly `length` values, or (where `optional`) null. */
static int doubles(napi_env env, napi_value value, size_t length, int optional, double **data) {
  return numbers(env, value, napi_float64_array, length, optional, (void **)data);
}

/*
 * neurons(model, v, iEx | null, iIn | null, refractory, ringPositive, ringNegative | null, iDc | null, ringCurrent | null,
 *         constants: Float64Array, integers: Uint32Array [gidStart, refractorySteps, positiveSlots, negativeSlots, currentSlots]) → handle
 * model: 0 LIF, 1 ExpLIF. Every array has the population's size (a ring: slots × size); iDc and ringCurrent go together.
 * The rings are Float64Arrays, or Float32Arrays in single precision.
 */
static napi_value make_neurons(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  uint32_t model;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 11 || napi_get_value_uint32(env, argv[0], &model) != napi_ok || model > EXP_LIF) {
    napi_throw_type_error(env, NULL, "native kernels: neurons() takes a model (0 or 1) and 10 arrays");
    return NULL;
  }
  Population *p = calloc(1, sizeof(Population));
  if (p == NULL) { napi_throw_error(env, NULL, "native kernels: out of memory"); return NULL; }
  p->model = model;
  void *data;
  size_t size, length;
  int ok = typed_array(env, argv[1], napi_float64_array, &data, &size);
  p->v = data;
  p->size = (uint32_t)size;
  ok &= typed_array(env, argv[10], napi_uint32_array, &data, &length) && length == 5;
  const uint32_t *integers = data;
  double *constants;
  ok &= typed_array(env, argv[9], napi_float64_array, (void **)&constants, &length) && length == (model == LIF ? 7 : 10);
  if (ok) {
    for (size_t k = 0; k < length; k++) p->c[k] = constants[k];
    p->gid_start = integers[0];
    p->refractory_steps = integers[1];
    p->positive_slots = integers[2];
    p->negative_slots = integers[3];
    p->current_slots = integers[4];
    ok &= p->positive_slots > 0 && p->negative_slots > 0 && p->refractory_steps <= INT32_MAX;
  }
  const int exp = model == EXP_LIF;
  ok &= ok && doubles(env, argv[2], size, !exp, &p->i_ex) && (!exp || p->i_ex);
  ok &= ok && doubles(env, argv[3], size, !exp, &p->i_in) && (!exp || p->i_in);
  ok &= ok && typed_array(env, argv[4], napi_int32_array, &data, &length) && length == size;
  p->refractory = data;
  /* The rings are all Float64Arrays, or all Float32Arrays (single precision). */
  const napi_typedarray_type rings = synaptic_type(env, argv[5]);
  p->single = rings == napi_float32_array;
  ok &= ok && numbers(env, argv[5], rings, (size_t)p->positive_slots * size, 0, &p->ring_positive);
  ok &= ok && numbers(env, argv[6], rings, (size_t)p->negative_slots * size, !exp, &p->ring_negative) && (!exp || p->ring_negative);
  ok &= ok && doubles(env, argv[7], size, 1, &p->i_dc);
  ok &= ok && (p->i_dc == NULL ? numbers(env, argv[8], rings, 0, 1, &p->ring_current) && p->ring_current == NULL
    : p->current_slots > 0 && numbers(env, argv[8], rings, (size_t)p->current_slots * size, 0, &p->ring_current));
  return handle_or_refusal(env, ok, p, "native kernels: neurons() got an argument of the wrong type or length");
}

/* neuronStep(handle, t, steps: Int32Array, gids: Uint32Array, count) → count: updates every neuron for step t,
 * and appends (t, gid) of each that fired to steps and gids from `count` on, in neuron order. */
static napi_value neuron_step(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  void *data, *steps_data, *gids_data;
  size_t n_steps, n_gids;
  int32_t t;
  uint32_t count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5 || napi_get_value_external(env, argv[0], &data) != napi_ok
    || napi_get_value_int32(env, argv[1], &t) != napi_ok || t < 0 || !typed_array(env, argv[2], napi_int32_array, &steps_data, &n_steps)
    || !typed_array(env, argv[3], napi_uint32_array, &gids_data, &n_gids) || napi_get_value_uint32(env, argv[4], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "native kernels: neuronStep() takes a handle, a step ≥ 0, an Int32Array, a Uint32Array and a count");
    return NULL;
  }
  const Population *p = data;
  /* Every neuron may fire: the spike list must have room for all. */
  if ((size_t)count + p->size > n_steps || (size_t)count + p->size > n_gids) {
    napi_throw_range_error(env, NULL, "native kernels: neuronStep() has no room for the spikes");
    return NULL;
  }
  int32_t *steps = steps_data;
  uint32_t *gids = gids_data;
  const size_t positive = (size_t)((uint32_t)t % p->positive_slots) * p->size;
  const size_t negative = (size_t)((uint32_t)t % p->negative_slots) * p->size;
  const size_t current = p->i_dc ? (size_t)((uint32_t)t % p->current_slots) * p->size : 0;
  uint8_t fired[PIECE];
  for (uint32_t from = 0; from < p->size; from += PIECE) {
    const uint32_t n = p->size - from < PIECE ? p->size - from : PIECE;
    double *i_dc = p->i_dc ? p->i_dc + from : NULL;
    /* The piece's ring slots, of type NUMBER, and its update. */
#define UPDATE(NUMBER)                                                                                    \
    {                                                                                                     \
      NUMBER *ring_positive = (NUMBER *)p->ring_positive + positive + from;                              \
      NUMBER *ring_negative = p->ring_negative ? (NUMBER *)p->ring_negative + negative + from : NULL;     \
      NUMBER *ring_current = i_dc ? (NUMBER *)p->ring_current + current + from : NULL;                   \
      if (p->model == LIF) {                                                                              \
        lif_piece_##NUMBER(n, p->v + from, p->refractory + from, ring_positive, i_dc, ring_current, p->c, \
          (int32_t)p->refractory_steps, fired);                                                          \
      } else {                                                                                            \
        exp_lif_piece_##NUMBER(n, p->v + from, p->i_ex + from, p->i_in + from, p->refractory + from,     \
          ring_positive, ring_negative, i_dc, ring_current, p->c, (int32_t)p->refractory_steps, fired);  \
      }                                                                                                   \
    }
    if (p->single) UPDATE(float)
    else UPDATE(double)
    /* Few neurons fire in a step: skip eight marks at a time where none is set. */
    for (uint32_t i = 0; i < n; i++) {
      if (i + 8 <= n && (i & 7) == 0) {
        uint64_t eight;
        memcpy(&eight, fired + i, 8);
        if (eight == 0) {
          i += 7;
          continue;
        }
      }
      if (fired[i]) {
        steps[count] = t;
        gids[count] = p->gid_start + from + i;
        count++;
      }
    }
  }
  napi_value result;
  if (napi_create_uint32(env, count, &result) != napi_ok) return NULL;
  return result;
}

void neuron_exports(napi_env env, napi_value exports) {
  export_function(env, exports, "neurons", make_neurons);
  export_function(env, exports, "neuronStep", neuron_step);
}
