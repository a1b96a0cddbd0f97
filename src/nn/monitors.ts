/** What to record and where it goes: `MonitorBS(monitors=[MonitorConf(...)], recorder=...)`. */
import { requireRecord } from '../ir/checks.ts';
import type { MonitorDescription } from '../ir/description.ts';
import { MemoryRecorder } from '../monitor/memoryRecorder.ts';
import type { Recorder } from '../monitor/recorder.ts';

/** Neurons [start, stop) of a population, as Python's `slice(start, stop)`. */
export function slice(start: number, stop: number): [number, number] {
  return [start, stop];
}

/** Record `attr` (`spike`, `v`, …) of the population named `name`, optionally only `slices`. */
export class MonitorConf {
  constructor(
    readonly name: string,
    readonly attr: string,
    readonly slices?: [number, number],
  ) {}

  toJSON(): MonitorDescription {
    return this.slices ? { target: this.name, attr: this.attr, slice: this.slices } : { target: this.name, attr: this.attr };
  }
}

/** What to record (`monitors`) and where it goes (`recorder`: `MemoryRecorder` or `ArrowRecorder`). */
export class MonitorBS<R extends Recorder = MemoryRecorder> {
  readonly monitors: MonitorConf[];
  readonly recorder: R;

  constructor(options: { monitors?: MonitorConf[]; recorder?: R } = {}) {
    const { monitors = [], recorder } = requireRecord('MonitorBS', 'options', options) as typeof options;
    this.monitors = monitors;
    this.recorder = recorder ?? (new MemoryRecorder() as unknown as R);
  }
}
