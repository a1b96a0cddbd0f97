/** A one-line progress bar on a terminal: simulated time, real-time factor, time left. */
export class ProgressBar {
  private lastDraw = 0;
  /** The first report of simulated steps: the rate is measured from there, so building never counts. */
  private first: { at: number; steps: number } | null = null;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly totalMs: number,
    private readonly dt: number,
  ) {}

  update(stepsDone: number, stepsTotal: number): void {
    const now = performance.now();
    if (stepsDone > 0 && this.first === null) this.first = { at: now, steps: stepsDone };
    if (now - this.lastDraw < 100 && stepsDone < stepsTotal) return;
    this.lastDraw = now;
    this.stream.write(`\r${progressLine(stepsDone, stepsTotal, this.totalMs, this.dt, this.first, now)}\x1b[K`);
  }

  done(): void {
    this.stream.write('\n');
  }
}

/**
 * The bar's text at `now`. Until two reports of simulated steps have come, there is no rate to show:
 * a run on workers reports its first steps only after building.
 */
export function progressLine(
  stepsDone: number, stepsTotal: number, totalMs: number, dt: number,
  first: { at: number; steps: number } | null, now: number,
): string {
  const fraction = stepsTotal ? stepsDone / stepsTotal : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(stepsDone * dt).toFixed(1)}/${totalMs.toFixed(1)} ms`;
  if (first === null) return `${bar}  building`;
  if (stepsDone <= first.steps) return `${bar}  rtf –`;
  const rtf = (now - first.at) / ((stepsDone - first.steps) * dt);
  const left = (rtf * (stepsTotal - stepsDone) * dt) / 1000;
  return `${bar}  rtf ${rtf.toFixed(2)}  ${left.toFixed(0)} s left`;
}
