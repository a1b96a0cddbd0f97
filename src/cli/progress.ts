/**
 * A one-line progress bar on a terminal: while the network builds, the share of synapses built and
 * the time spent; then simulated time, real-time factor and time left.
 */
export class ProgressBar {
  private lastDraw = 0;
  private readonly startedAt = performance.now();
  /** The first report of simulated steps: the rate is measured from there, so building never counts. */
  private first: { at: number; steps: number } | null = null;
  private built: number | null = null;
  private stepsDone = 0;
  private stepsTotal: number;
  /** While workers build, nothing else redraws the line: this keeps its clock going. */
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly totalMs: number,
    private readonly dt: number,
  ) {
    this.stepsTotal = Math.round(totalMs / dt);
    this.ticker = setInterval(() => this.first === null && this.draw(performance.now()), 1000).unref();
  }

  /** The fraction of the network's synapses built so far. */
  building(fraction: number): void {
    this.built = fraction;
    const now = performance.now();
    if (now - this.lastDraw >= 100) this.draw(now);
  }

  update(stepsDone: number, stepsTotal: number): void {
    const now = performance.now();
    this.stepsDone = stepsDone;
    this.stepsTotal = stepsTotal;
    if (stepsDone > 0 && this.first === null) this.first = { at: now, steps: stepsDone };
    if (now - this.lastDraw < 100 && stepsDone < stepsTotal) return;
    this.draw(now);
  }

  done(): void {
    clearInterval(this.ticker);
    this.stream.write('\n');
  }

  private draw(now: number): void {
    this.lastDraw = now;
    const building = { fraction: this.built, seconds: (now - this.startedAt) / 1000 };
    this.stream.write(`\r${progressLine(this.stepsDone, this.stepsTotal, this.totalMs, this.dt, this.first, now, building)}\x1b[K`);
  }
}

/**
 * The bar's text at `now`. Until simulated steps are reported, the network is building: the line
 * says how much of it has been built (when known) and for how long. Until two reports of simulated
 * steps have come, there is no rate to show.
 */
export function progressLine(
  stepsDone: number, stepsTotal: number, totalMs: number, dt: number,
  first: { at: number; steps: number } | null, now: number,
  building: { fraction: number | null; seconds: number },
): string {
  const fraction = stepsTotal ? stepsDone / stepsTotal : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(stepsDone * dt).toFixed(1)}/${totalMs.toFixed(1)} ms`;
  if (first === null) {
    const share = building.fraction === null ? '' : ` ${Math.floor(building.fraction * 100)} %`;
    return `${bar}  building${share} (${building.seconds.toFixed(0)} s)`;
  }
  if (stepsDone <= first.steps) return `${bar}  rtf –`;
  const rtf = (now - first.at) / ((stepsDone - first.steps) * dt);
  const left = (rtf * (stepsTotal - stepsDone) * dt) / 1000;
  return `${bar}  rtf ${rtf.toFixed(2)}  ${left.toFixed(0)} s left`;
}
