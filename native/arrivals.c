/*
 * Delivery in arrival order, for rows whose synapses each have their own delay (the cortical
 * microcircuit). Delivered when its spike is, such a row scatters its additions over every slot of
 * its rings, some 60 × 38 500 numbers a worker at full scale: far more than the caches hold, so
 * each addition waits on memory. Here instead the addon keeps each source's rows as records of its
 * own, sorted by delay, and remembers each spike until its last synapse has arrived. At a chunk
 * boundary, every remembered spike adds the synapses that arrive during the next chunk, into those
 * steps' slots: a ring then needs only a chunk's slots, a few hundred kilobytes a worker, which
 * stay in the cache, while each row is read in order, a piece at each chunk.
 *
 * The sums are those of the JavaScript kernels (`oneRingRows`, `mixedRows`), bit for bit. A ring's
 * slot gets its additions in the canonical order: by emit step, then source, then synapse — the
 * remembered spikes are kept in that order, and sorting a row by delay is stable, so the synapses
 * of one delay keep their order, which for a source's rows of several projections is projection by
 * projection. That holds only for a ring whose every addition comes this way: the engine picks the
 * rings (`src/engine/connectivity/arrivalDelivery.ts`).
 */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kernels.h"

/* The rows' delays share 16 bits with the ring a synapse writes into: delay << 8 | ring. */
#define MAX_RINGS 256
#define MAX_DELAY 255
/* How many remembered spikes ahead a pass asks for the next piece of their rows. The full-scale
 * microcircuit in single precision (two workers, two rounds): real-time factor 3.90 and 4.14 four
 * ahead, 4.00 and 4.38 eight ahead, 4.01 and 4.48 sixteen ahead; the machine's pace decides more. */
#define AHEAD 8

/* An input ring: `slots` slots of `size` numbers, floats in single precision, doubles otherwise. */
typedef struct {
  void *data;
  uint32_t size;
  uint32_t slots;
} Ring;

/* One source population's rows of its projections, each source's rows one stretch, sorted by delay. */
typedef struct {
  uint32_t n_rows;
  const uint32_t *row_start;
  const uint32_t *row_end;
  /* One record per synapse (Record16_float, …): the rows' own arrays, interleaved. */
  void *records;
  uint32_t record_bytes;
  int wide;                  /* 32-bit targets */
} SortedRows;

/* A synapse as a pass reads it: its key (delay << 8 | ring), target and weight, one read instead of
 * three, for each target width and precision. */
#define RECORD(TARGET, NUMBER, NAME) typedef struct __attribute__((packed)) { uint16_t key; TARGET target; NUMBER weight; } NAME;
RECORD(uint16_t, float, Record16_float)
RECORD(uint16_t, double, Record16_double)
RECORD(uint32_t, float, Record32_float)
RECORD(uint32_t, double, Record32_double)

/* A spike whose row has synapses still to arrive: from `cursor` to `end`. */
typedef struct {
  uint32_t source;
  uint32_t cursor;
  uint32_t end;
  int32_t step;
} Pending;

typedef struct {
  int single;
  uint32_t n_rings;
  Ring rings[MAX_RINGS];
  uint32_t n_sources;
  SortedRows *sources;
  Pending *pending;
  size_t n_pending;
  size_t capacity;
  /* The smallest ring's slots: how many steps one pass may add into. */
  uint32_t min_slots;
  /* Slot addresses of a pass: n_rings × its steps. */
  void **slots;
} Arrivals;

static void free_arrivals(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  Arrivals *arrivals = data;
  for (uint32_t i = 0; i < arrivals->n_sources; i++) free(arrivals->sources[i].records);
  free(arrivals->sources);
  free(arrivals->pending);
  free(arrivals->slots);
  free(arrivals);
}

/* arrivals(rings, sizes, slots) → handle. rings: Float64Arrays, or Float32Arrays in single
 * precision, each of slots[r] × sizes[r] numbers. */
static napi_value make_arrivals(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Arrivals *arrivals = calloc(1, sizeof(Arrivals));
  if (arrivals == NULL) { napi_throw_error(env, NULL, "native kernels: out of memory"); return NULL; }
  uint32_t n_rings = 0;
  void *sizes, *slots;
  size_t n_sizes = 0, n_slots = 0;
  int ok = argc == 3 && napi_get_array_length(env, argv[0], &n_rings) == napi_ok && n_rings <= MAX_RINGS
    && typed_array(env, argv[1], napi_uint32_array, &sizes, &n_sizes) && n_sizes == n_rings
    && typed_array(env, argv[2], napi_uint32_array, &slots, &n_slots) && n_slots == n_rings;
  napi_typedarray_type numbers = napi_float64_array;
  for (uint32_t r = 0; ok && r < n_rings; r++) {
    napi_value ring;
    size_t length;
    ok = napi_get_element(env, argv[0], r, &ring) == napi_ok;
    if (r == 0) numbers = synaptic_type(env, ring);
    ok = ok && typed_array(env, ring, numbers, &arrivals->rings[r].data, &length);
    arrivals->rings[r].size = ((uint32_t *)sizes)[r];
    arrivals->rings[r].slots = ((uint32_t *)slots)[r];
    ok = ok && arrivals->rings[r].slots > 0 && (size_t)arrivals->rings[r].slots * arrivals->rings[r].size <= length;
  }
  if (!ok) {
    free(arrivals);
    napi_throw_type_error(env, NULL, "native kernels: arrivals() takes up to 256 rings of one precision, their sizes and slots, each ring holding slots × size numbers");
    return NULL;
  }
  arrivals->single = numbers == napi_float32_array;
  arrivals->n_rings = n_rings;
  arrivals->min_slots = MAX_DELAY + 1;
  for (uint32_t r = 0; r < n_rings; r++) {
    if (arrivals->rings[r].slots < arrivals->min_slots) arrivals->min_slots = arrivals->rings[r].slots;
  }
  if ((arrivals->slots = malloc(((size_t)n_rings * arrivals->min_slots + 1) * sizeof(void *))) == NULL) {
    free(arrivals);
    napi_throw_error(env, NULL, "native kernels: out of memory");
    return NULL;
  }
  return owned_handle(env, arrivals, free_arrivals);
}

/* The ring synapse k writes into: by the sign of its weight. */
static inline int32_t ring_of(const int32_t *ring_of_sign, int single, const void *weights, size_t k) {
  const double w = single ? ((const float *)weights)[k] : ((const double *)weights)[k];
  return w >= 0 ? ring_of_sign[0] : ring_of_sign[1];
}

/* Why the rows cannot be taken (NULL: they can): the addon writes through raw pointers. */
static const char *unfit_rows(const Arrivals *arrivals, uint32_t n_members, const uint32_t **starts, const uint32_t **ends, uint32_t n_rows,
                              const uint16_t *t16, const uint32_t *t32, const void *weights, const uint16_t *delays, size_t n_synapses,
                              const int32_t *rings) {
  for (uint32_t m = 0; m < 2 * n_members; m++) {
    if (rings[m] >= (int32_t)arrivals->n_rings) return "a projection's ring is not among the rings";
  }
  for (uint32_t s = 0; s < n_rows; s++) {
    for (uint32_t m = 0; m < n_members; m++) {
      if (ends[m][s] < starts[m][s]) return "a row ends before it begins";
      if (ends[m][s] > n_synapses) return "a row goes past the synapses";
      if (m + 1 < n_members && ends[m][s] != starts[m + 1][s]) return "a source's rows do not follow one another";
      for (uint32_t k = starts[m][s]; k < ends[m][s]; k++) {
        const int32_t r = ring_of(rings + 2 * m, arrivals->single, weights, k);
        if (r < 0) return "a synapse's weight has a sign its projection has no ring for";
        const uint32_t target = t16 ? t16[k] : t32[k];
        if (target >= arrivals->rings[r].size) return "a target is outside its ring";
        if (delays[k] < 1 || delays[k] > MAX_DELAY) return "a delay is not between 1 and 255 steps";
      }
    }
  }
  return NULL;
}

/* Gives back to the system the pages wholly inside `bytes` bytes from `start`, which then read as
 * zeros: the arrays whose synapses the records now hold. */
static void give_back(void *start, size_t bytes) {
  const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  const uintptr_t from = ((uintptr_t)start + page - 1) & ~(page - 1), to = ((uintptr_t)start + bytes) & ~(page - 1);
  if (to > from) madvise((void *)from, to - from, MADV_DONTNEED);
}

/* `bytes` of memory, in pages of 2 MiB where the system gives them on request (transparent huge
 * pages): a pass reads a piece of each of hundreds of rows, far apart, and each piece on a page of
 * its own would cost a walk of the page tables. */
static void *huge_pages(size_t bytes) {
  const size_t huge = (size_t)2 << 20, rounded = (bytes + huge - 1) / huge * huge;
  void *memory = aligned_alloc(huge, rounded > 0 ? rounded : huge);
#ifdef MADV_HUGEPAGE
  if (memory != NULL) madvise(memory, rounded, MADV_HUGEPAGE);
#endif
  return memory;
}

/* The records of each source's stretch, sorted by delay, stably (so by projection, then synapse). */
#define SORTED_RECORDS(TARGET, NUMBER, RECORD_TYPE)                                                 \
  {                                                                                                 \
    const TARGET *targets = targets_data;                                                           \
    const NUMBER *w = weights;                                                                      \
    RECORD_TYPE *sorted = records = huge_pages(n_synapses * sizeof(RECORD_TYPE));                 \
    record_bytes = sizeof(RECORD_TYPE);                                                             \
    for (uint32_t s = 0; s < n_rows && sorted; s++) {                                               \
      uint32_t at[MAX_DELAY + 2] = {0};                                                             \
      const uint32_t begin = starts[0][s], end = ends[n_members - 1][s];                            \
      at[0] = begin;                                                                                \
      for (uint32_t k = begin; k < end; k++) at[delays[k] + 1]++;                                   \
      for (uint32_t d = 0; d <= MAX_DELAY; d++) at[d + 1] += at[d];                                 \
      for (uint32_t m = 0; m < n_members; m++) {                                                    \
        for (uint32_t k = starts[m][s]; k < ends[m][s]; k++) {                                      \
          const uint16_t key = (uint16_t)(delays[k] << 8 | ring_of(rings + 2 * m, single, weights, k)); \
          sorted[at[delays[k]]++] = (RECORD_TYPE){ key, targets[k], w[k] };                         \
        }                                                                                           \
      }                                                                                             \
    }                                                                                               \
  }

/* arrivalSource(handle, rowStarts, rowEnds, targets, weights, delays, rings) → the source's index.
 * One source population's projections that share their arrays (`sourceGroups.ts`): rowStarts[m]
 * and rowEnds[m] are projection m's rows, which for each source follow one another; rings[2m] and
 * rings[2m + 1] are the rings (indices into the handle's) that its weights w >= 0 and w < 0 write
 * into, -1 where it has none. The handle keeps the rows as records of its own, and gives the
 * arrays' memory back to the system: they read as zeros afterwards. */
static napi_value arrival_source(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Arrivals *arrivals = NULL;
  uint32_t n_members = 0, n_ends = 0;
  int ok = argc == 7 && napi_get_value_external(env, argv[0], (void **)&arrivals) == napi_ok
    && napi_get_array_length(env, argv[1], &n_members) == napi_ok && napi_get_array_length(env, argv[2], &n_ends) == napi_ok
    && n_members > 0 && n_ends == n_members;
  const uint32_t **starts = calloc(n_members + 1, sizeof(uint32_t *));
  const uint32_t **ends = calloc(n_members + 1, sizeof(uint32_t *));
  if (starts == NULL || ends == NULL) {
    free(starts);
    free(ends);
    napi_throw_error(env, NULL, "native kernels: out of memory");
    return NULL;
  }
  size_t n_rows = 0;
  for (uint32_t m = 0; ok && m < n_members; m++) {
    napi_value start, end;
    void *data;
    size_t length;
    /* A table of its own has one start more than rows: its CSR's end. */
    ok = napi_get_element(env, argv[1], m, &start) == napi_ok && napi_get_element(env, argv[2], m, &end) == napi_ok
      && typed_array(env, end, napi_uint32_array, &data, &length) && (m == 0 || length == n_rows);
    ends[m] = data;
    if (m == 0) n_rows = length;
    ok = ok && typed_array(env, start, napi_uint32_array, &data, &length) && length >= n_rows;
    starts[m] = data;
  }
  void *targets_data = NULL, *weights = NULL, *delays_data = NULL, *rings_data = NULL;
  size_t n_synapses = 0, length = 0, n_rings = 0;
  const uint16_t *t16 = NULL;
  const uint32_t *t32 = NULL;
  if (ok && typed_array(env, argv[3], napi_uint16_array, &targets_data, &n_synapses)) t16 = targets_data;
  else if (ok && typed_array(env, argv[3], napi_uint32_array, &targets_data, &n_synapses)) t32 = targets_data;
  else ok = 0;
  const int single = arrivals ? arrivals->single : 0;
  ok = ok && typed_array(env, argv[4], single ? napi_float32_array : napi_float64_array, &weights, &length) && length >= n_synapses;
  ok = ok && typed_array(env, argv[5], napi_uint16_array, &delays_data, &length) && length >= n_synapses;
  ok = ok && typed_array(env, argv[6], napi_int32_array, &rings_data, &n_rings) && n_rings == 2 * (size_t)n_members;
  if (!ok) {
    free(starts);
    free(ends);
    napi_throw_type_error(env, NULL, "native kernels: arrivalSource() takes a handle, row starts and ends per projection, targets, weights of the rings' precision, delays and two rings per projection");
    return NULL;
  }
  uint16_t *delays = delays_data;
  const int32_t *rings = rings_data;
  const char *problem = unfit_rows(arrivals, n_members, starts, ends, (uint32_t)n_rows, t16, t32, weights, delays, n_synapses, rings);
  void *records = NULL;
  uint32_t record_bytes = 0;
  SortedRows *sources = problem ? NULL : realloc(arrivals->sources, (arrivals->n_sources + 1) * sizeof(SortedRows));
  if (!problem && sources == NULL) problem = "out of memory";
  if (!problem) {
    arrivals->sources = sources;
    if (t16 && single) SORTED_RECORDS(uint16_t, float, Record16_float)
    else if (t16) SORTED_RECORDS(uint16_t, double, Record16_double)
    else if (single) SORTED_RECORDS(uint32_t, float, Record32_float)
    else SORTED_RECORDS(uint32_t, double, Record32_double)
    if (records == NULL) problem = "out of memory";
  }
  if (problem) {
    free(starts);
    free(ends);
    char message[160];
    snprintf(message, sizeof message, "native kernels: %s", problem);
    napi_throw_range_error(env, NULL, message);
    return NULL;
  }
  give_back(targets_data, n_synapses * (t16 ? 2 : 4));
  give_back(weights, n_synapses * (single ? 4 : 8));
  give_back(delays, n_synapses * 2);
  /* Each source's rows as one: from the first projection's start to the last one's end. */
  SortedRows *source = &arrivals->sources[arrivals->n_sources];
  *source = (SortedRows){ (uint32_t)n_rows, starts[0], ends[n_members - 1], records, record_bytes, t32 != NULL };
  free(starts);
  free(ends);
  napi_value index;
  CHECK(napi_create_uint32(env, arrivals->n_sources++, &index));
  return index;
}

/* arrivalSpike(handle, source, row, step): remembers that `row` of `source` spiked at `step`, which
 * must not precede the spikes remembered before; returns the synapses its rows hold. */
static napi_value arrival_spike(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Arrivals *arrivals;
  uint32_t source, row;
  int32_t step;
  CHECK(napi_get_value_external(env, argv[0], (void **)&arrivals));
  CHECK(napi_get_value_uint32(env, argv[1], &source));
  CHECK(napi_get_value_uint32(env, argv[2], &row));
  CHECK(napi_get_value_int32(env, argv[3], &step));
  if (source >= arrivals->n_sources || row >= arrivals->sources[source].n_rows) {
    napi_throw_range_error(env, NULL, "native kernels: no such source or row");
    return NULL;
  }
  const SortedRows *rows = &arrivals->sources[source];
  const uint32_t begin = rows->row_start[row], end = rows->row_end[row];
  if (end > begin) {
    if (arrivals->n_pending == arrivals->capacity) {
      const size_t capacity = arrivals->capacity ? 2 * arrivals->capacity : 1024;
      Pending *pending = realloc(arrivals->pending, capacity * sizeof(Pending));
      if (pending == NULL) { napi_throw_error(env, NULL, "native kernels: out of memory"); return NULL; }
      arrivals->pending = pending;
      arrivals->capacity = capacity;
    }
    arrivals->pending[arrivals->n_pending++] = (Pending){ source, begin, end, step };
  }
  napi_value reached;
  CHECK(napi_create_uint32(env, end - begin, &reached));
  return reached;
}

/* One remembered spike's synapses that arrive before `end`: its row's next keys below `below`, each
 * into its ring's slot of step `spike.step` + its delay. A first one that would arrive before
 * `start` stops the pass: its slot has been read. */
#define ADD_ARRIVING(RECORD_TYPE)                                                                    \
  {                                                                                                  \
    const RECORD_TYPE *records = rows->records;                                                      \
    if (k < spike.end && spike.step + (records[k].key >> 8) < start) {                               \
      late = 1;                                                                                      \
      break;                                                                                         \
    }                                                                                                \
    for (; k < spike.end && records[k].key < below; k++) {                                           \
      const uint32_t key = records[k].key;                                                           \
      slot[(key & 0xff) * steps + (key >> 8) + offset][records[k].target] += amount * records[k].weight; \
    }                                                                                                \
  }

/* The pass over the remembered spikes: each adds its synapses that arrive at steps [start, end),
 * into slots whose addresses `slot` lists ring by ring; the spikes with synapses still to come are
 * kept, in their order. */
#define PASS(NUMBER)                                                                                 \
  {                                                                                                  \
    NUMBER **slot = (NUMBER **)arrivals->slots;                                                      \
    for (uint32_t r = 0; r < arrivals->n_rings; r++) {                                              \
      const Ring *ring = &arrivals->rings[r];                                                        \
      for (int32_t s = start; s < end; s++) {                                                        \
        slot[r * steps + (s - start)] = (NUMBER *)ring->data + (size_t)((uint32_t)s % ring->slots) * ring->size; \
      }                                                                                              \
    }                                                                                                \
    for (size_t i = 0; i < n; i++) {                                                                 \
      if (i + AHEAD < n) {                                                                           \
        const Pending *later = &pending[i + AHEAD];                                                  \
        const SortedRows *rows = &sources[later->source];                                            \
        __builtin_prefetch((const char *)rows->records + (size_t)later->cursor * rows->record_bytes); \
      }                                                                                              \
      Pending spike = pending[i];                                                                    \
      const SortedRows *rows = &sources[spike.source];                                               \
      const uint32_t below = (uint32_t)(end - spike.step) << 8;                                      \
      const int32_t offset = spike.step - start;                                                     \
      uint32_t k = spike.cursor;                                                                     \
      if (rows->wide) ADD_ARRIVING(Record32_##NUMBER) else ADD_ARRIVING(Record16_##NUMBER)           \
      events += k - spike.cursor;                                                                    \
      spike.cursor = k;                                                                              \
      if (k < spike.end) pending[kept++] = spike;                                                    \
    }                                                                                                \
  }

/* arrive(handle, firstStep, steps) → synapses added: the additions that arrive at steps
 * [firstStep, firstStep + steps), no more steps than any ring has slots, after every remembered
 * spike; each call must follow on from the last. */
static napi_value arrive(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Arrivals *arrivals;
  int32_t start, steps;
  CHECK(napi_get_value_external(env, argv[0], (void **)&arrivals));
  CHECK(napi_get_value_int32(env, argv[1], &start));
  CHECK(napi_get_value_int32(env, argv[2], &steps));
  if (start < 0 || steps < 0 || (uint32_t)steps > arrivals->min_slots
      || (arrivals->n_pending > 0 && arrivals->pending[arrivals->n_pending - 1].step >= start)) {
    napi_throw_range_error(env, NULL, "native kernels: arrive() is for steps after every remembered spike, no more of them than any ring has slots");
    return NULL;
  }
  /* A neuron spike adds its weights once: amount 1, multiplied as the JavaScript kernels do. */
  const double amount = 1;
  double events = 0;
  int late = 0;
  Pending *pending = arrivals->pending;
  const SortedRows *sources = arrivals->sources;
  const size_t n = arrivals->n_pending;
  size_t kept = 0;
  const int32_t end = start + steps;
  if (arrivals->single) PASS(float)
  else PASS(double)
  if (late) {
    napi_throw_range_error(env, NULL, "native kernels: a spike's synapse arrives before the steps arrive() was asked for");
    return NULL;
  }
  arrivals->n_pending = kept;
  napi_value added;
  CHECK(napi_create_double(env, events, &added));
  return added;
}

void arrival_exports(napi_env env, napi_value exports) {
  export_function(env, exports, "arrivals", make_arrivals);
  export_function(env, exports, "arrivalSource", arrival_source);
  export_function(env, exports, "arrivalSpike", arrival_spike);
  export_function(env, exports, "arrive", arrive);
}
