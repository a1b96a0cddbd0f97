/**
 * V8 optimises hot functions on background threads. When partition threads keep every core busy
 * (a waiter at the barrier spins), those compilations wait for a core while the partitions run
 * unoptimised code, then take a core from a partition that its partners wait for at the next
 * barrier. Such threads run better compiling on their own thread. Measured with two workers on this
 * 2-core machine, simulation time per model second, three paired runs: CUBA (4000 neurons)
 * 0.47–0.58 s → 0.39–0.44 s, PD14 at scale 0.1 2.82–2.88 s → 2.42–2.83 s (two runs), Brunel
 * unchanged (2.23–2.48 s against 2.35–2.45 s, four runs).
 *
 * With a core to spare, background compilation is better: the whole of Brunel on one thread ran in
 * 2.15–2.99 s with it and 3.44–3.79 s without (four runs each).
 *
 * V8 reads the flag when it creates an isolate: it applies to the threads a pool starts after this
 * call, not to the main thread, which keeps compiling in the background.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** Sets how the threads started next compile, for a run of `busyThreads` threads that work at once. */
export function compileFor(busyThreads: number): void {
  setFlagsFromString(busyThreads >= availableParallelism() ? '--no-concurrent-recompilation' : '--concurrent-recompilation');
}
