/**
 * Compiles a fresh copy of a kernel factory for one population (or generator) and calls it.
 *
 * V8 optimises a closure much better when its function literal has produced only one closure: the
 * captured typed arrays and constants then become compile-time constants (bounds checks and
 * pointer loads leave the loop). A kernel shared by several populations loses that and, measured
 * on the ExpLIF update, runs 4–5× slower (≈ 20 ns instead of ≈ 4.5 ns per neuron and step). So each
 * population gets its own compilation of the same source — the arithmetic is identical.
 *
 * V8 caches compilations by source text, which would hand every population the same function
 * again, so each copy's source is made unique with a numbered source URL.
 *
 * A factory must be self-contained: it may use only its parameters and globals (no imports), and
 * should return an anonymous arrow function.
 *
 * A copy costs its own compilations, and pays back only where it runs over many elements. A
 * network of thousands of small populations would otherwise spend its time in copies that V8
 * never optimises: `specialiseFor` shares one compilation among the small ones.
 */
let copies = 0;

export function specialise<A extends unknown[], R>(factory: (...args: A) => R, ...args: A): R {
  // The source URL names the kernel in profiles and stack traces, and makes each copy's source unique.
  const copy = new Function(`return (${factory.toString()});\n//# sourceURL=spikegrid:kernel/${factory.name}/${copies++}`)() as (...args: A) => R;
  return copy(...args);
}

/**
 * Below this many elements (neurons, generator outputs, synapses) a kernel is shared rather than
 * compiled afresh. Measured on 2 000 populations of 3 LIF neurons and 1 000 projections between
 * them, on one worker: 3.5–3.9 s for 100 ms of model time with a copy each, 0.22–0.24 s with
 * shared kernels (three runs each, the same spikes).
 */
const SPECIALISE_FROM = 64;

/** `specialise` for a kernel over `elements` elements, or the shared `factory` for a small one. */
export function specialiseFor<A extends unknown[], R>(elements: number, factory: (...args: A) => R, ...args: A): R {
  return elements >= SPECIALISE_FROM ? specialise(factory, ...args) : factory(...args);
}
