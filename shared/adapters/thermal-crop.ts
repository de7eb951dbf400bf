import { encode } from 'fast-png';
import type { RadiometricImage } from '../domain/thermal/hot-spots';

/**
 * The picture of a hot spot people are shown in the case: the frame around it in false colour (cold black through
 * purple and red to yellow-white, as thermal cameras show it), scaled up to be seen, with the box drawn.
 */

/** Shown at least this many pixels across (nearest-neighbour, so no detail is invented). */
const MIN_SHOWN_PX = 192;
const BOX_COLOUR = [0, 255, 170] as const;

/** The "ironbow"-like ramp: stops from cold to hot. */
const RAMP: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0], [40, 0, 90], [140, 0, 150], [220, 50, 60], [250, 140, 0], [255, 220, 60], [255, 255, 230],
];

function colour(t: number): readonly [number, number, number] {
  const x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** A PNG of the frame around `box` ([x, y, w, h]): a margin of the box's size again (16 px at least) on each side. */
export function frameCropPng(image: RadiometricImage, box: readonly [number, number, number, number]): Uint8Array {
  const [bx, by, bw, bh] = box;
  const margin = Math.max(16, bw, bh);
  const x0 = Math.max(0, bx - margin);
  const y0 = Math.max(0, by - margin);
  const x1 = Math.min(image.width, bx + bw + margin);
  const y1 = Math.min(image.height, by + bh + margin);
  const w = x1 - x0;
  const h = y1 - y0;
  // The colour range of the crop itself: its coldest ground to its warmest body.
  let lo = Infinity;
  let hi = -Infinity;
  for (let y = y0; y < y1; y += 1) {
    for (let x = x0; x < x1; x += 1) {
      const c = image.celsius[y * image.width + x]!;
      lo = Math.min(lo, c);
      hi = Math.max(hi, c);
    }
  }
  const span = Math.max(2, hi - lo);
  const scale = Math.max(1, Math.ceil(MIN_SHOWN_PX / Math.max(w, h)));
  const W = w * scale;
  const H = h * scale;
  const data = new Uint8Array(W * H * 3);
  for (let Y = 0; Y < H; Y += 1) {
    const y = y0 + Math.floor(Y / scale);
    for (let X = 0; X < W; X += 1) {
      const x = x0 + Math.floor(X / scale);
      const [r, g, b] = colour((image.celsius[y * image.width + x]! - lo) / span);
      data.set([r, g, b], (Y * W + X) * 3);
    }
  }
  // The box, two pixels wide on the scaled picture, just outside the hot spot's pixels.
  const left = (bx - x0) * scale - 2;
  const top = (by - y0) * scale - 2;
  const right = (bx - x0 + bw) * scale + 1;
  const bottom = (by - y0 + bh) * scale + 1;
  const paint = (X: number, Y: number) => { if (X >= 0 && Y >= 0 && X < W && Y < H) data.set(BOX_COLOUR, (Y * W + X) * 3); };
  for (let t = 0; t < 2; t += 1) {
    for (let X = left; X <= right; X += 1) { paint(X, top + t); paint(X, bottom - t); }
    for (let Y = top; Y <= bottom; Y += 1) { paint(left + t, Y); paint(right - t, Y); }
  }
  return encode({ width: W, height: H, data, channels: 3, depth: 8 });
}
