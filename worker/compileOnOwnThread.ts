/**
 * V8 optimises hot functions on background threads. Partition threads keep every core busy (a
 * waiter at the barrier spins), so those compilations wait for a core while the partitions run
 * unoptimised code, then take a core from a partition that its partners wait for at the next
 * barrier. Partition threads run better compiling on their own thread. Measured with two workers
 * on this 2-core machine, simulation time per model second, three paired runs: CUBA (4000 neurons)
 * 0.47–0.58 s → 0.39–0.44 s, PD14 at scale 0.1 2.82–2.88 s → 2.42–2.83 s (two runs), Brunel
 * unchanged (2.23–2.48 s against 2.35–2.45 s, four runs).
 *
 * V8 reads the flag when it creates an isolate: it applies to the threads a pool starts after this
 * call, not to the main thread, which keeps compiling in the background.
 */
import { setFlagsFromString } from 'node:v8';

export function compileOnOwnThread(): void {
  setFlagsFromString('--no-concurrent-recompilation');
}
