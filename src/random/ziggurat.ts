/**
 * Standard normals by the ziggurat method (Marsaglia & Tsang 2000, 128 layers), drawn from a
 * counter-based stream. The normal density is covered by 128 layers of equal area: a point drawn in
 * a layer's rectangle lies under the curve outright ≈ 99 % of the time, so a normal costs two 32-bit
 * draws and a multiply, against a logarithm, a square root and a cosine for Box–Muller (≈ 30 ns
 * against ≈ 60 ns per draw in a loop here). That matters where every synapse draws a weight and a
 * delay.
 *
 * Draw k of stream (hi, lo) uses the stream's numbers 2k and 2k + 1: the first picks the layer (7
 * bits), the sign (1 bit) and, when needed, the height of the point (24 bits); the second the
 * position across the layer (32 bits). The rare point outside the curve, and the tail beyond the
 * base layer, draw again from further streams keyed by (lo, attempt), still at counters 2k, 2k + 1,
 * so the value stays a pure function of (hi, lo, k).
 */
import { bits32, fmix32 } from './counter.ts';

const LAYERS = 128;
/** Where the tail begins, and the area of each layer (Marsaglia & Tsang's constants for 128 layers). */
const R = 3.442619855899;
const AREA = 9.91256303526217e-3;
const TWO_POW_MINUS_32 = 2 ** -32;
const TWO_POW_MINUS_24 = 2 ** -24;

const density = (x: number) => Math.exp(-0.5 * x * x);

/**
 * Right edges of the layers, from the base up: X[0] is the base layer's width as if its tail were
 * folded into a rectangle, X[1] = R, X[128] = 0; F[i] is the density at X[i].
 */
const X = new Float64Array(LAYERS + 1);
const F = new Float64Array(LAYERS + 1);
X[0] = AREA / density(R);
X[1] = R;
for (let i = 1; i < LAYERS - 1; i++) X[i + 1] = Math.sqrt(-2 * Math.log(AREA / X[i] + density(X[i])));
X[LAYERS] = 0;
for (let i = 0; i <= LAYERS; i++) F[i] = density(X[i]);
F[0] = 0;

/** The `counter`-th standard normal of stream (hi, lo). */
export function standardNormal(hi: number, lo: number, counter: number): number {
  const w1 = bits32(hi, lo, 2 * counter);
  const layer = w1 & (LAYERS - 1);
  const z = (bits32(hi, lo, 2 * counter + 1) + 0.5) * TWO_POW_MINUS_32 * X[layer];
  if (z < X[layer + 1]) return (w1 & LAYERS) === 0 ? z : -z;
  return outsideRectangles(hi, lo, counter, w1, z);
}

/** Stream key of the attempt-th redraw of a normal (attempt ≥ 1). */
function redrawKey(lo: number, attempt: number): number {
  return fmix32(lo ^ Math.imul(attempt, 0x9e3779b9) ^ 0x2b7e1516);
}

/** The ≈ 1 % of draws whose point lies outside the inner rectangles: wedges and the tail. */
function outsideRectangles(hi: number, lo: number, counter: number, w1: number, z: number): number {
  for (let attempt = 1; ; attempt++) {
    const layer = w1 & (LAYERS - 1);
    const sign = (w1 & LAYERS) === 0 ? 1 : -1;
    if (layer === 0) {
      // The tail beyond R (Marsaglia 1964): x = R + a with a exponential, accepted with e^(−a²/2).
      for (; ; attempt++) {
        const key = redrawKey(lo, attempt);
        const a = -Math.log((bits32(hi, key, 2 * counter) + 0.5) * TWO_POW_MINUS_32) / R;
        const b = -Math.log((bits32(hi, key, 2 * counter + 1) + 0.5) * TWO_POW_MINUS_32);
        if (2 * b > a * a) return sign * (R + a);
      }
    }
    // A wedge: the point's height, uniform across the layer, against the density at z.
    const height = F[layer] + ((w1 >>> 8) + 0.5) * TWO_POW_MINUS_24 * (F[layer + 1] - F[layer]);
    if (height < density(z)) return sign * z;
    const key = redrawKey(lo, attempt);
    w1 = bits32(hi, key, 2 * counter);
    const next = w1 & (LAYERS - 1);
    z = (bits32(hi, key, 2 * counter + 1) + 0.5) * TWO_POW_MINUS_32 * X[next];
    if (z < X[next + 1]) return (w1 & LAYERS) === 0 ? z : -z;
  }
}
