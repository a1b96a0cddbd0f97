/** Least time between two draws of the bar [ms]. */
const BAR_REDRAW_MS = 100;

/**
 * A one-line progress bar on a terminal: while the network builds, the share of the building done and
 * the time spent; then simulated time, real-time factor and time left. Where the stream is not a
 * terminal (a batch job's log), `lineEveryMs` makes it write the same text as a whole line that
 * often instead, so a long run's log shows how it goes without a line per redraw.
 */
export class ProgressBar {
  private lastDraw: number;
  private readonly startedAt = performance.now();
  /** The first report of simulated steps: the rate is measured from there, so building never counts. */
  private first: { at: number; steps: number } | null = null;
  private built: number | null = null;
  private stepsDone = 0;
  private stepsTotal: number;
  /** While workers build, nothing else redraws the line: this keeps its clock going. */
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly totalMs: number,
    private readonly dt: number,
    private readonly lineEveryMs?: number,
  ) {
    this.stepsTotal = Math.round(totalMs / dt);
    // A log's first line comes after one interval: a short run writes none.
    this.lastDraw = lineEveryMs === undefined ? 0 : this.startedAt;
    this.ticker = setInterval(() => this.first === null && this.drawIfDue(performance.now()), 1000).unref();
  }

  /** The fraction of the network's synapses built so far. */
  building(fraction: number): void {
    this.built = fraction;
    this.drawIfDue(performance.now());
  }

  update(stepsDone: number, stepsTotal: number): void {
    const now = performance.now();
    this.stepsDone = stepsDone;
    this.stepsTotal = stepsTotal;
    if (stepsDone > 0 && this.first === null) this.first = { at: now, steps: stepsDone };
    // The bar's last draw shows the run complete; a log's summary follows anyway.
    if (stepsDone >= stepsTotal && this.lineEveryMs === undefined) this.draw(now);
    else this.drawIfDue(now);
  }

  done(): void {
    clearInterval(this.ticker);
    if (this.lineEveryMs === undefined) this.stream.write('\n');
  }

  private drawIfDue(now: number): void {
    if (now - this.lastDraw >= (this.lineEveryMs ?? BAR_REDRAW_MS)) this.draw(now);
  }

  private draw(now: number): void {
    this.lastDraw = now;
    const building = { fraction: this.built, seconds: (now - this.startedAt) / 1000 };
    const line = progressLine(this.stepsDone, this.stepsTotal, this.totalMs, this.dt, this.first, now, building);
    this.stream.write(this.lineEveryMs === undefined ? `\r${line}\x1b[K` : `${line}\n`);
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
