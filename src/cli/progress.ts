/** A one-line progress bar on a terminal: simulated time, running real-time factor, time left. */
export class ProgressBar {
  private lastDraw = 0;
  private started = performance.now();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly totalMs: number,
    private readonly dt: number,
  ) {}

  /** `stepsDone = 0` marks the start of the simulation, so building does not count in the rtf. */
  update(stepsDone: number, stepsTotal: number): void {
    const now = performance.now();
    if (stepsDone === 0) this.started = now;
    if (now - this.lastDraw < 100 && stepsDone < stepsTotal) return;
    this.lastDraw = now;
    const fraction = stepsTotal ? stepsDone / stepsTotal : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const wallS = (now - this.started) / 1000;
    const modelS = (stepsDone * this.dt) / 1000;
    const rtf = modelS > 0 ? wallS / modelS : 0;
    const left = fraction > 0 ? wallS * (1 / fraction - 1) : 0;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(stepsDone * this.dt).toFixed(1)}/${this.totalMs.toFixed(1)} ms  rtf ${rtf.toFixed(2)}  ${left.toFixed(0)} s left`;
    this.stream.write(`\r${line}\x1b[K`);
  }

  done(): void {
    this.stream.write('\n');
  }
}
