/*
 * Asking for the next spike's rows while this one's are delivered. A spike's rows (one per
 * projection of its source population: targets, and weights and delays where they are per synapse)
 * lie far from the last spike's, so delivery would start each of them waiting on memory for its
 * first cache lines, until the processor's own prefetcher catches the stream. The engine tells the
 * addon which source comes a little later (`prefetchRows`); the addon asks for its rows' lines, and
 * they arrive while the current rows are added. Which sources it pays for is the engine's choice
 * (`src/engine/connectivity/rowPrefetch.ts`). Nothing is read or written but the row bounds: the
 * additions, and so the results, are unchanged.
 */
#include <node_api.h>
#include <stdint.h>
#include "kernels.h"

/* The most cache lines asked for per array of a row (4 KB), which covers Brunel's rows: asking for
 * only their first 2 lines gained less, their first 4 no more (bench/README.md). */
#define MAX_LINES 64
#define LINE 64

/* One projection's table: its row bounds, and its arrays of `widths[a]` bytes per synapse (0: none). */
typedef struct {
  uint32_t n_rows;
  const uint32_t *row_start;
  const uint32_t *row_end;
  const char *arrays[3];
  uint32_t widths[3];
} TableLines;

/* The tables of one source population's projections. */
typedef struct {
  uint32_t n_tables;
  TableLines tables[];
} SourceRows;

/* Asks for the lines of `bytes` bytes from `start`, at most MAX_LINES of them. */
static inline void prefetch_span(const char *start, size_t bytes) {
  const char *line = (const char *)((uintptr_t)start & ~(uintptr_t)(LINE - 1));
  const char *end = start + bytes;
  for (int n = 0; line < end && n < MAX_LINES; line += LINE, n++) __builtin_prefetch(line, 0, 3);
}

/* Array `a` of a table (0 targets: 16 or 32 bits; 1 weights: 32 or 64, as `synaptic_type` says;
 * 2 delays: 16), with its data, length and bytes per synapse; false where it is not such an array. */
static int table_array(napi_env env, napi_value value, uint32_t a, void **data, size_t *length, uint32_t *width) {
  if (a == 1) {
    const napi_typedarray_type type = synaptic_type(env, value);
    *width = type == napi_float32_array ? 4 : 8;
    return typed_array(env, value, type, data, length);
  }
  if (typed_array(env, value, napi_uint16_array, data, length)) { *width = 2; return 1; }
  *width = 4;
  return a == 0 && typed_array(env, value, napi_uint32_array, data, length);
}

/* Reads into `t` the table `value`: [rowStart, rowEnd, targets, weights | null, delays | null]; false where it is not one. */
static int table_lines(napi_env env, napi_value value, TableLines *t) {
  napi_value item[5];
  for (uint32_t k = 0; k < 5; k++) {
    if (napi_get_element(env, value, k, &item[k]) != napi_ok) return 0;
  }
  void *data;
  size_t starts, ends;
  if (!typed_array(env, item[0], napi_uint32_array, &data, &starts)) return 0;
  t->row_start = data;
  if (!typed_array(env, item[1], napi_uint32_array, &data, &ends) || ends > starts) return 0;
  t->row_end = data;
  t->n_rows = (uint32_t)ends;
  /* Every array must hold every row: the row bounds say where to prefetch. */
  size_t shortest = SIZE_MAX;
  for (uint32_t a = 0; a < 3; a++) {
    napi_value array = item[2 + a];
    size_t length;
    t->arrays[a] = NULL;
    t->widths[a] = 0;
    if (a > 0 && is_null(env, array)) continue;
    if (!table_array(env, array, a, &data, &length, &t->widths[a])) return 0;
    t->arrays[a] = data;
    if (length < shortest) shortest = length;
  }
  for (uint32_t r = 0; r < t->n_rows; r++) {
    if (t->row_end[r] < t->row_start[r] || t->row_end[r] > shortest) return 0;
  }
  return 1;
}

/* sourceRows(tables: [rowStart, rowEnd, targets, weights | null, delays | null][]) → handle */
static napi_value make_source_rows(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t n;
  int ok = napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 1 && napi_get_array_length(env, argv[0], &n) == napi_ok;
  SourceRows *rows = ok ? malloc(sizeof(SourceRows) + (size_t)n * sizeof(TableLines)) : NULL;
  if (ok && rows == NULL) { napi_throw_error(env, NULL, "native kernels: out of memory"); return NULL; }
  if (rows) rows->n_tables = n;
  for (uint32_t k = 0; ok && k < n; k++) {
    napi_value table;
    ok = napi_get_element(env, argv[0], k, &table) == napi_ok && table_lines(env, table, &rows->tables[k]);
  }
  return handle_or_refusal(env, ok, rows,
    "native kernels: sourceRows() takes an array of [rowStart, rowEnd, targets, weights | null, delays | null] whose arrays hold every row");
}

/* prefetchRows(handle, row): asks for the lines of row `row` of every table; rows a table lacks are skipped. */
static napi_value prefetch_rows(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  void *data;
  uint32_t row;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2 || napi_get_value_external(env, argv[0], &data) != napi_ok
    || napi_get_value_uint32(env, argv[1], &row) != napi_ok) {
    napi_throw_type_error(env, NULL, "native kernels: prefetchRows() takes a handle and a row");
    return NULL;
  }
  const SourceRows *rows = data;
  for (uint32_t k = 0; k < rows->n_tables; k++) {
    const TableLines *t = &rows->tables[k];
    if (row >= t->n_rows) continue;
    const uint32_t begin = t->row_start[row], count = t->row_end[row] - begin;
    for (uint32_t a = 0; a < 3; a++) {
      if (t->arrays[a]) prefetch_span(t->arrays[a] + (size_t)begin * t->widths[a], (size_t)count * t->widths[a]);
    }
  }
  return NULL;
}

void row_prefetch_exports(napi_env env, napi_value exports) {
  export_function(env, exports, "sourceRows", make_source_rows);
  export_function(env, exports, "prefetchRows", prefetch_rows);
}
