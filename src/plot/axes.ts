/**
 * A plot frame on a canvas: margins, "nice" ticks, tick labels, axis labels and a title, and the
 * mapping from data to pixels. Raster and line plots draw inside it.
 */
import { createRequire } from 'node:module';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';

// The native canvas loads on the first plot rather than with the package: most programs never plot.
const require = createRequire(import.meta.url);
const createCanvas = (width: number, height: number): Canvas => (require('@napi-rs/canvas') as typeof import('@napi-rs/canvas')).createCanvas(width, height);

export interface FrameOptions {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  width?: number;
  height?: number;
}

export interface Frame {
  readonly canvas: Canvas;
  readonly ctx: SKRSContext2D;
  x(value: number): number;
  y(value: number): number;
  /** Plot area in pixels. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 × 10^k apart). */
export function niceTicks(min: number, max: number, count = 6): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function drawFrame(xRange: [number, number], yRange: [number, number], options: FrameOptions): Frame {
  const width = options.width ?? 900;
  const height = options.height ?? 560;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const left = 84;
  const right = width - 28;
  const top = options.title ? 56 : 24;
  const bottom = height - 64;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  const [x0, x1] = xRange[1] > xRange[0] ? xRange : [xRange[0], xRange[0] + 1];
  const [y0, y1] = yRange[1] > yRange[0] ? yRange : [yRange[0] - 1, yRange[0] + 1];
  const x = (v: number) => left + ((v - x0) / (x1 - x0)) * (right - left);
  const y = (v: number) => bottom - ((v - y0) / (y1 - y0)) * (bottom - top);

  ctx.strokeStyle = '#222222';
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, right - left, bottom - top);
  ctx.font = '14px DejaVu Sans, sans-serif';
  ctx.fillStyle = '#222222';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(x0, x1)) {
    const px = x(t);
    ctx.beginPath();
    ctx.moveTo(px, bottom);
    ctx.lineTo(px, bottom + 6);
    ctx.stroke();
    ctx.fillText(formatTick(t), px, bottom + 9);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of niceTicks(y0, y1)) {
    const py = y(t);
    ctx.beginPath();
    ctx.moveTo(left - 6, py);
    ctx.lineTo(left, py);
    ctx.stroke();
    ctx.fillText(formatTick(t), left - 9, py);
  }
  ctx.font = '16px DejaVu Sans, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  if (options.xlabel) ctx.fillText(options.xlabel, (left + right) / 2, height - 12);
  if (options.ylabel) {
    ctx.save();
    ctx.translate(22, (top + bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(options.ylabel, 0, 0);
    ctx.restore();
  }
  if (options.title) {
    ctx.font = 'bold 18px DejaVu Sans, sans-serif';
    ctx.fillText(options.title, (left + right) / 2, top - 16);
  }
  return { canvas, ctx, x, y, left, right, top, bottom };
}

/** A legend in the plot area's top right corner: a short line of each colour, then its label. */
export function drawLegend(frame: Frame, entries: readonly { label: string; colour: string }[]): void {
  const { ctx } = frame;
  ctx.save();
  ctx.font = '13px DejaVu Sans, sans-serif';
  const row = 20;
  const swatch = 22;
  const width = swatch + 18 + Math.max(...entries.map((e) => ctx.measureText(e.label).width));
  const left = frame.right - 10 - width;
  const top = frame.top + 10;
  // Mostly opaque, so the lines behind stay faintly visible.
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.strokeStyle = '#999999';
  ctx.lineWidth = 1;
  ctx.fillRect(left, top, width, entries.length * row + 8);
  ctx.strokeRect(left, top, width, entries.length * row + 8);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  entries.forEach(({ label, colour }, i) => {
    const y = top + 4 + row * (i + 0.5);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(left + 6, y);
    ctx.lineTo(left + 6 + swatch, y);
    ctx.stroke();
    ctx.fillStyle = '#222222';
    ctx.fillText(label, left + swatch + 12, y);
  });
  ctx.restore();
}

function formatTick(value: number): string {
  return Math.abs(value) >= 1e5 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(1) : String(value);
}
