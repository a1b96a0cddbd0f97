/**
 * The connections a rule draws for a partition, in the rule's canonical order: source, target and,
 * where the rule has one, the connection's position in the projection's fixed order.
 *
 * Rules write here rather than calling back per connection: a callback that differs from one
 * projection to the next is a call V8 cannot inline, and cost about as much as drawing the
 * connection (≈ 12 ns on top of ≈ 10 ns, in a micro-benchmark of Brunel's FixedProb).
 */
import { MAX_ARRAY_LENGTH } from '../../machineMemory.ts';

/** Connections one list, and so one table, can hold: the elements a typed array may have. */
export const MAX_CONNECTIONS = MAX_ARRAY_LENGTH;

export class ConnectionList {
  sources: Uint32Array;
  targets: Uint32Array;
  /** Positions in the projection's fixed order (−1 where none); kept only when asked for. */
  indices: Int32Array | null;
  size = 0;

  constructor(capacityHint: number, keepIndices: boolean) {
    const capacity = Math.max(1024, Math.ceil(capacityHint));
    this.sources = new Uint32Array(capacity);
    this.targets = new Uint32Array(capacity);
    this.indices = keepIndices ? new Int32Array(capacity) : null;
  }

  add(source: number, target: number, index: number): void {
    if (this.size === this.sources.length) this.grow();
    const k = this.size++;
    this.sources[k] = source;
    this.targets[k] = target;
    if (this.indices !== null) this.indices[k] = index;
  }

  private grow(): void {
    const capacity = this.sources.length * 2;
    this.sources = grown(this.sources, capacity);
    this.targets = grown(this.targets, capacity);
    if (this.indices !== null) this.indices = grown(this.indices, capacity);
  }
}

/** A copy of `array` with room for `capacity` elements. */
export function grown<T extends Uint16Array | Uint32Array | Int32Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}
