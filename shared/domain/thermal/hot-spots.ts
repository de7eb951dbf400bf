/**
 * Finding people in a radiometric frame by contrast to their surroundings, not by absolute temperature: on a winter
 * night a person under a blanket is only a few degrees warmer than the ground, while a vent or an engine is far
 * hotter than any person. The method, step by step:
 *
 * 1. Background: the median temperature of blocks about 3.5 m across on the ground (a person covers a few per cent
 *    of one, so the median ignores them), interpolated between block centres. Roads, walls and water change the
 *    background; a person is a small departure from it.
 * 2. Residual: temperature minus background; its noise is the residual's median absolute deviation.
 * 3. Regions: pixels at least `grow` above the background, connected (8 neighbours), kept if one pixel is at least
 *    `seed` above it (hysteresis: a faint body with a warm head is one region).
 * 4. Judged on the ground: each region's pixels are placed on the ground, and its length and width (principal
 *    axes) compared with a person lying (1.7 × 0.45 m) and sitting or curled up (0.6 m across). A region too large
 *    for one person is cut at higher contrast, where two people side by side come apart.
 * 5. Confidence: from size fit, contrast and isolation (a person's surroundings are background all round; a warm
 *    road's piece continues past its box). Regions over 45 °C (vents, engines) are not people.
 */

export interface HotSpotSettings {
  /** The background's structuring square, on the ground (m): wider than anyone, narrower than a road. */
  backgroundWidthM: number;
  /** A region's seed: at least this much above the background (°C), or `seedSigmas` × noise if that is more. */
  seedC: number;
  seedSigmas: number;
  /** A region's extent: at least this much above the background (°C), or `growSigmas` × noise. */
  growC: number;
  growSigmas: number;
  /** Hotter than this anywhere, a region is a vent or an engine. */
  tooHotC: number;
}

export const DEFAULT_HOT_SPOT_SETTINGS: HotSpotSettings = {
  backgroundWidthM: 2, seedC: 2, seedSigmas: 5, growC: 1, growSigmas: 3, tooHotC: 45,
};

/**
 * A person seen from above: lying stretched out or sitting/curled up, in clothes or under a blanket. Metres; the
 * height makes an oblique view longer (a sitting person's body leans away from the camera on the ground).
 */
const BODY_SHAPES = [
  { shape: 'lying', lengthM: 1.7, widthM: 0.45, heightM: 0.3 },
  { shape: 'lying', lengthM: 1.8, widthM: 0.7, heightM: 0.35 },
  { shape: 'sitting', lengthM: 0.6, widthM: 0.55, heightM: 0.9 },
  { shape: 'sitting', lengthM: 0.75, widthM: 0.7, heightM: 0.9 },
] as const;
/** How far (log scale) a length and a width may stray from a body's and still fit well. */
const LENGTH_TOLERANCE = 0.3;
const WIDTH_TOLERANCE = 0.26;
/** How many pixels a region's measured length or width may be off by, blur and threshold together. */
const MEASURE_PX = 0.8;
/** A sitting body is as wide as it is deep: narrower is more likely an animal. */
const ROUND_WIDTH_TOLERANCE = 0.2;
/** Exposed skin (a face) at least this much warmer than the ground around it; a dog's fur is warm all over by this. */
const SKIN_CONTRAST_C = 12;
const FUR_CONTRAST_C = 4.5;
/** The optics' blur and the threshold's edge, in pixels² of spread along each axis, taken off a region's. */
const BLUR_SPREAD_PX2 = 0.5;

export interface RadiometricImage {
  width: number;
  height: number;
  /** °C, row by row from the top. */
  celsius: Float32Array;
}

/**
 * Puts a pixel on the ground: metres east and north of anything fixed, and how steeply its ray comes down (90° from
 * straight above); undefined above the horizon.
 */
export type GroundProjection = (x: number, y: number) => { east: number; north: number; elevationDeg: number } | undefined;

export interface HotSpotFinding {
  /** [x, y, w, h] in pixels, top-left origin. */
  box: [number, number, number, number];
  /** The residual-weighted centre, in pixels (fractional). */
  centre: { x: number; y: number };
  confidence: number;
  surfaceTempC: number;
  /** Mean and peak contrast to the background (°C). */
  contrastC: number;
  peakContrastC: number;
  lengthM: number;
  widthM: number;
  shape: 'lying' | 'sitting' | 'unlike a person';
  pixels: number;
}

interface Region {
  pixels: number[];
}

/** The hot spots of a frame, most confident first (those under `minConfidence` left out). */
export function findHotSpots(
  image: RadiometricImage,
  project: GroundProjection,
  options: { settings?: HotSpotSettings; minConfidence?: number } = {},
): HotSpotFinding[] {
  const settings = options.settings ?? DEFAULT_HOT_SPOT_SETTINGS;
  const { width, height, celsius } = image;
  const metresPerPx = groundScaleAtCentre(project, width, height);
  const size = Math.max(5, Math.min(161, Math.round(settings.backgroundWidthM / metresPerPx)));
  const background = openingBackground(image, size);
  const residual = new Float32Array(celsius.length);
  for (let i = 0; i < celsius.length; i += 1) residual[i] = celsius[i]! - background[i]!;
  const noise = noiseOf(residual);
  const grow = Math.max(settings.growC, settings.growSigmas * noise);
  const seed = Math.max(settings.seedC, settings.seedSigmas * noise);

  const parts = regionsAbove(residual, width, height, grow, seed).flatMap((region) => splitIfTwo(region, residual, width, height, grow, project));
  // Which region each pixel is in: a neighbour's body in a region's surroundings is not the background running on.
  const labels = new Int32Array(celsius.length);
  parts.forEach((part, n) => { for (const i of part.pixels) labels[i] = n + 1; });
  const findings: HotSpotFinding[] = [];
  parts.forEach((part, n) => {
    const finding = judge(part, { image, residual, project, settings, labels, label: n + 1 });
    if (finding && finding.confidence >= (options.minConfidence ?? 0)) findings.push(finding);
  });
  return findings.sort((a, b) => b.confidence - a.confidence);
}

/** Metres per pixel at the frame's centre (the geometric mean across and along). */
function groundScaleAtCentre(project: GroundProjection, width: number, height: number): number {
  for (const y of [height / 2, height * 0.75, height - 1]) {
    const here = project(width / 2, y);
    const right = project(width / 2 + 1, y);
    const below = project(width / 2, y + 1);
    if (here && right && below) {
      return Math.sqrt(Math.hypot(right.east - here.east, right.north - here.north) * Math.hypot(below.east - here.east, below.north - here.north));
    }
  }
  return 0.05;
}

/**
 * The background as the frame's grey-level opening (a minimum filter, then a maximum filter, over a square of
 * `size` pixels): whatever is narrower than the square (a person, a dog, a vent) is taken out of it, while anything
 * wider (a road, water, the vignetting of the lens) stays, edges and all. The frame minus it is the white top-hat.
 */
export function openingBackground(image: RadiometricImage, size: number): Float32Array {
  const eroded = filter2d(image.celsius, image.width, image.height, size, Math.min);
  return filter2d(eroded, image.width, image.height, size, Math.max);
}

/** A square minimum or maximum filter, separable, each line in time independent of the window (van Herk/Gil-Werman). */
function filter2d(src: Float32Array, width: number, height: number, size: number, pick: (a: number, b: number) => number): Float32Array {
  const rows = new Float32Array(src.length);
  const line = new Float32Array(Math.max(width, height));
  const out1 = new Float32Array(line.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) line[x] = src[y * width + x]!;
    filter1d(line, width, size, pick, out1);
    for (let x = 0; x < width; x += 1) rows[y * width + x] = out1[x]!;
  }
  const out = new Float32Array(src.length);
  for (let x = 0; x < width; x += 1) {
    for (let y = 0; y < height; y += 1) line[y] = rows[y * width + x]!;
    filter1d(line, height, size, pick, out1);
    for (let y = 0; y < height; y += 1) out[y * width + x] = out1[y]!;
  }
  return out;
}

function filter1d(src: Float32Array, n: number, size: number, pick: (a: number, b: number) => number, out: Float32Array): void {
  const r = Math.min(Math.floor(size / 2), n - 1);
  const k = 2 * r + 1;
  // The line mirrored at both ends, so that a road leaving the frame still looks as wide as it is.
  const m = n + 2 * r;
  const line = new Float32Array(m);
  for (let i = 0; i < m; i += 1) {
    const j = i - r;
    line[i] = src[j < 0 ? -j : j >= n ? 2 * (n - 1) - j : j]!;
  }
  const forward = new Float32Array(m);
  const backward = new Float32Array(m);
  for (let i = 0; i < m; i += 1) forward[i] = i % k === 0 ? line[i]! : pick(forward[i - 1]!, line[i]!);
  for (let i = m - 1; i >= 0; i -= 1) backward[i] = i === m - 1 || (i + 1) % k === 0 ? line[i]! : pick(backward[i + 1]!, line[i]!);
  // The window [i, i + k − 1] of the padded line spans at most two blocks of k: the backward run from its start and
  // the forward run to its end (one block: the forward run alone).
  for (let i = 0; i < n; i += 1) {
    const lo = i;
    const hi = i + k - 1;
    out[i] = lo % k === 0 ? forward[hi]! : pick(backward[lo]!, forward[hi]!);
  }
}

/** The median, by sorting a copy (blocks are at most a few thousand values). */
function medianOf(values: Float32Array): number {
  if (values.length === 0) return 0;
  const sorted = Float32Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The residual's noise: 1.4826 × its median absolute deviation, over a sample of pixels. */
function noiseOf(residual: Float32Array): number {
  const step = Math.max(1, Math.floor(residual.length / 20_000));
  const sample = new Float32Array(Math.ceil(residual.length / step));
  let n = 0;
  for (let i = 0; i < residual.length; i += step) sample[n++] = residual[i]!;
  const values = sample.subarray(0, n);
  const median = medianOf(values);
  for (let i = 0; i < n; i += 1) values[i] = Math.abs(values[i]! - median);
  return 1.4826 * medianOf(values);
}

/** Connected regions (8 neighbours) of pixels at least `grow` above the background with a pixel at least `seed`. */
function regionsAbove(residual: Float32Array, width: number, height: number, grow: number, seed: number, within?: number[]): Region[] {
  const label = new Int32Array(within ? 0 : residual.length);
  const inSet = within ? new Set(within) : undefined;
  const seen = within ? new Set<number>() : undefined;
  const visited = (i: number) => (seen ? seen.has(i) : label[i] !== 0);
  const mark = (i: number) => (seen ? seen.add(i) : (label[i] = 1));
  const candidates = within ?? Array.from({ length: residual.length }, (_, i) => i);
  const regions: Region[] = [];
  const stack: number[] = [];
  for (const start of candidates) {
    if (visited(start) || residual[start]! < grow) continue;
    const pixels: number[] = [];
    let seeded = false;
    mark(start);
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      pixels.push(i);
      if (residual[i]! >= seed) seeded = true;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy += 1) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (visited(j) || residual[j]! < grow || (inSet && !inSet.has(j))) continue;
          mark(j);
          stack.push(j);
        }
      }
    }
    if (seeded) regions.push({ pixels });
  }
  return regions;
}

/**
 * A region's extent on the ground: principal length and width (m), as a uniform rectangle of the same spread, less
 * the blur's; and how steeply it is seen.
 */
interface GroundExtent { lengthM: number; widthM: number; elevationDeg: number; pixelM: number }

function groundExtent(pixels: number[], width: number, project: GroundProjection): GroundExtent | undefined {
  let n = 0;
  let se = 0;
  let sn = 0;
  let sx = 0;
  let sy = 0;
  const points: Array<{ east: number; north: number }> = [];
  for (const i of pixels) {
    const x = i % width;
    const y = (i - x) / width;
    const g = project(x + 0.5, y + 0.5);
    if (!g) return undefined;
    points.push(g);
    se += g.east;
    sn += g.north;
    sx += x + 0.5;
    sy += y + 0.5;
    n += 1;
  }
  const centre = project(sx / n, sy / n);
  const across = project(sx / n + 1, sy / n);
  const along = project(sx / n, sy / n + 1);
  if (!centre || !across || !along) return undefined;
  const me = se / n;
  const mn = sn / n;
  let cee = 0;
  let cnn = 0;
  let cen = 0;
  for (const p of points) {
    cee += (p.east - me) ** 2;
    cnn += (p.north - mn) ** 2;
    cen += (p.east - me) * (p.north - mn);
  }
  cee /= n;
  cnn /= n;
  cen /= n;
  const mid = (cee + cnn) / 2;
  const spread = Math.sqrt(((cee - cnn) / 2) ** 2 + cen ** 2);
  const gsd2 = ((across.east - centre.east) ** 2 + (across.north - centre.north) ** 2 + (along.east - centre.east) ** 2 + (along.north - centre.north) ** 2) / 2;
  const blur = BLUR_SPREAD_PX2 * gsd2;
  return {
    lengthM: Math.sqrt(12 * Math.max(gsd2 / 12, mid + spread - blur)),
    widthM: Math.sqrt(12 * Math.max(gsd2 / 12, mid - spread - blur)),
    elevationDeg: centre.elevationDeg,
    pixelM: Math.sqrt(gsd2),
  };
}

/** How well a size fits a body seen at this elevation: 1 for a perfect fit, towards 0 for nothing like one. */
function sizeFit(extent: GroundExtent): { fit: number; shape: HotSpotFinding['shape'] } {
  // Seen obliquely, a body's height lies on the ground behind it: all of it for a round (sitting) one, about half
  // for an elongated one at an unknown angle to the view.
  const lean = 1 / Math.tan(Math.max(10, extent.elevationDeg) * Math.PI / 180);
  let best: { fit: number; shape: HotSpotFinding['shape'] } = { fit: 0, shape: 'unlike a person' };
  for (const body of BODY_SHAPES) {
    const round = body.shape === 'sitting';
    const length = round ? body.widthM + body.heightM * lean : body.lengthM + 0.5 * body.heightM * lean;
    const width = round ? body.widthM : body.widthM + 0.5 * body.heightM * lean;
    const dl = Math.log(extent.lengthM / Math.max(length, width));
    const dw = Math.log(Math.max(extent.widthM, 0.05) / Math.min(length, width));
    // A body a few pixels across is measured to within a pixel or so either way: the tolerance widens with that.
    const pixelsL = (MEASURE_PX * extent.pixelM) / Math.max(length, width);
    const pixelsW = (MEASURE_PX * extent.pixelM) / Math.min(length, width);
    const lengthTolerance2 = LENGTH_TOLERANCE ** 2 + pixelsL ** 2;
    const widthTolerance2 = (round ? ROUND_WIDTH_TOLERANCE : WIDTH_TOLERANCE) ** 2 + pixelsW ** 2;
    const fit = Math.exp(-(dl * dl) / (2 * lengthTolerance2) - (dw * dw) / (2 * widthTolerance2));
    if (fit > best.fit) best = { fit, shape: body.shape };
  }
  return best;
}

/**
 * A region that may be two people blurred into one (side by side, a gap of less than a few pixels between them):
 * looked at again at rising contrast, where separate bodies come apart into separate cores, and its pixels shared
 * out to the nearest core (walking within the region). The cut is kept when every part fits a person better than
 * the whole did.
 */
function splitIfTwo(region: Region, residual: Float32Array, width: number, height: number, grow: number, project: GroundProjection): Region[] {
  const extent = groundExtent(region.pixels, width, project);
  // Two people side by side or end to end at most: a longer or wider region is something else (a wall, a road).
  if (!extent || extent.lengthM < 0.9 || extent.lengthM > 4 || extent.widthM > 2.5) return [region];
  const wholeFit = sizeFit(extent).fit;
  for (const factor of [1.5, 2, 3, 4, 6]) {
    const level = grow * factor;
    const cores = regionsAbove(residual, width, height, level, level, region.pixels).filter((p) => p.pixels.length >= 4);
    if (cores.length < 2) {
      if (cores.length === 0) break;
      continue;
    }
    const parts = shareOut(region, cores, width);
    const fits = parts.map((p) => {
      const e = groundExtent(p.pixels, width, project);
      return e ? sizeFit(e).fit : 0;
    });
    if (fits.every((fit) => fit > Math.max(0.3, wholeFit))) return parts;
  }
  return [region];
}

/** Each pixel of a region to the core it is nearest to, walking within the region (a breadth-first flood from all cores). */
function shareOut(region: Region, cores: Region[], width: number): Region[] {
  const owner = new Map<number, number>();
  let frontier: number[] = [];
  cores.forEach((core, c) => core.pixels.forEach((i) => { owner.set(i, c); frontier.push(i); }));
  const member = new Set(region.pixels);
  while (frontier.length) {
    const next: number[] = [];
    for (const i of frontier) {
      const x = i % width;
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]) {
        if (j < 0 || !member.has(j) || owner.has(j)) continue;
        owner.set(j, owner.get(i)!);
        next.push(j);
      }
    }
    frontier = next;
  }
  const parts: Region[] = cores.map(() => ({ pixels: [] }));
  for (const [i, c] of owner) parts[c]!.pixels.push(i);
  return parts;
}

function judge(
  region: Region,
  context: { image: RadiometricImage; residual: Float32Array; project: GroundProjection; settings: HotSpotSettings; labels: Int32Array; label: number },
): HotSpotFinding | undefined {
  const { image, residual, project, settings } = context;
  const { width, height, celsius } = image;
  let minX = width, minY = height, maxX = 0, maxY = 0;
  let peak = -Infinity, peakContrast = -Infinity, sumContrast = 0, sumC = 0, wx = 0, wy = 0;
  for (const i of region.pixels) {
    const x = i % width;
    const y = (i - x) / width;
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    peak = Math.max(peak, celsius[i]!);
    peakContrast = Math.max(peakContrast, residual[i]!);
    sumContrast += residual[i]!;
    sumC += celsius[i]!;
    wx += residual[i]! * (x + 0.5);
    wy += residual[i]! * (y + 0.5);
  }
  const extent = groundExtent(region.pixels, width, project);
  if (!extent) return undefined;
  const contrast = sumContrast / region.pixels.length;
  const box: [number, number, number, number] = [minX, minY, maxX - minX + 1, maxY - minY + 1];
  const { fit, shape } = sizeFit(extent);
  const tooHot = peak > settings.tooHotC;
  // Contrast: a blanket's 2–3 °C is a fair sign, 6 °C and more (clothes, a face) a strong one.
  const contrastScore = Math.min(1, 0.45 + contrast / 8);
  const isolation = isolationOf(box, image, sumC / region.pixels.length, contrast, context.labels, context.label);
  // Cut by the frame's edge, a region cannot be measured: a sweep's next frame sees it whole.
  const cut = minX === 0 || minY === 0 || maxX === width - 1 || maxY === height - 1 ? 0.6 : 1;
  // A small shape warm all over without a face's heat (exposed skin is the hottest part of a clothed person) is more
  // likely fur: a dog or a cat. A blanket is warm only by a few degrees.
  const furLike = shape === 'sitting' && contrast >= FUR_CONTRAST_C && peakContrast < SKIN_CONTRAST_C ? 0.6 : 1;
  const confidence = tooHot ? 0 : Math.round(fit ** 0.5 * contrastScore * isolation * furLike * cut * 1000) / 1000;
  return {
    box, centre: { x: wx / sumContrast, y: wy / sumContrast }, confidence, surfaceTempC: Math.round(peak * 10) / 10,
    contrastC: Math.round(contrast * 10) / 10, peakContrastC: Math.round(peakContrast * 10) / 10,
    lengthM: Math.round(extent.lengthM * 100) / 100, widthM: Math.round(extent.widthM * 100) / 100,
    shape: tooHot ? 'unlike a person' : shape, pixels: region.pixels.length,
  };
}

/**
 * How alone a region stands, judged on the frame's own temperatures: the share of the ring just outside its box
 * (half its size again) that is as warm as the region, less half its contrast. A person is colder all round; a
 * piece of a warm road (cut off by a parked car, or where the background could not follow it) is as warm as the
 * road that runs on past its box.
 */
function isolationOf(box: [number, number, number, number], image: RadiometricImage, regionMeanC: number, contrastC: number, labels: Int32Array, own: number): number {
  const { width, height, celsius } = image;
  const [x, y, w, h] = box;
  const padX = Math.max(2, Math.round(w / 2));
  const padY = Math.max(2, Math.round(h / 2));
  const warmFrom = regionMeanC - contrastC / 2;
  let ring = 0;
  let warm = 0;
  for (let yy = Math.max(0, y - padY); yy < Math.min(height, y + h + padY); yy += 1) {
    for (let xx = Math.max(0, x - padX); xx < Math.min(width, x + w + padX); xx += 1) {
      if (xx >= x && xx < x + w && yy >= y && yy < y + h) continue;
      const label = labels[yy * width + xx]!;
      if (label !== 0 && label !== own) continue;
      ring += 1;
      if (celsius[yy * width + xx]! >= warmFrom) warm += 1;
    }
  }
  if (ring === 0) return 1;
  const share = warm / ring;
  return share <= 0.15 ? 1 : Math.max(0, 1 - (share - 0.15) / 0.4);
}
