/**
 * Synthetic radiometric frames with ground truth: a winter night's ground seen by a drone's thermal camera, with
 * people lying, sitting, in pairs and under blankets, and the warm things that are not people (dogs, vents, car
 * bonnets, a road warmer than its verge, a heated wall, water). Each frame is rendered from a true pose; the pose
 * reported with it carries the errors a drone's GNSS, barometer, compass and gimbal make.
 *
 * The world is metres east and north of an origin on flat ground. Each pixel's ray is traced to the ground with the
 * same camera model the analysis uses, sampled 2 × 2 within the pixel, then blurred by the optics, shaded by
 * vignetting and given the sensor's noise (temporal and per column).
 */
import { type CameraPose, latLonToOffset, offsetToLatLon, pixelToGroundOffset } from '#shared/domain/thermal/camera';

export type Random = () => number;

/** A small, seeded generator (mulberry32): the same seed gives the same scenes on every machine. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const between = (random: Random, lo: number, hi: number) => lo + random() * (hi - lo);
const gaussian = (random: Random) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A flat shape on the ground: an ellipse or a rectangle, centred, turned by `headingDeg` (its length's bearing). */
interface Shape {
  kind: 'ellipse' | 'rect';
  east: number;
  north: number;
  lengthM: number;
  widthM: number;
  headingDeg: number;
  /** °C above the ground's temperature there (a bonnet, a vent: its own temperature, see `absoluteC`). */
  aboveGroundC: number;
  absoluteC?: number;
  /** Shapes drawn later cover earlier ones (a head on a body). */
  layer: number;
  /** How tall it stands (m): seen obliquely, a tall thing covers the ground behind it. */
  heightM?: number;
  /** Where it begins above the ground (a head on shoulders). */
  fromHeightM?: number;
}

export type TargetKind = 'lying' | 'sitting' | 'lying_blanket' | 'sitting_blanket';
export type DistractorKind = 'dog' | 'vent' | 'car_bonnet' | 'road' | 'warm_wall' | 'water';

export interface PersonTruth {
  kind: TargetKind;
  east: number;
  north: number;
  /** Of a pair: the other person's index. */
  pairedWith?: number;
}

export interface Scene {
  groundC: number;
  shapes: Shape[];
  people: PersonTruth[];
  distractors: Array<{ kind: DistractorKind; east: number; north: number }>;
  /** Smooth ground texture: a few cosine waves (°C, wavelength m). */
  texture: Array<{ amplitude: number; kx: number; ky: number; phase: number }>;
}

export interface FrameSpec {
  width: number;
  height: number;
  hfovDeg: number;
  /** The true pose; the origin of the world is its point on the map. */
  pose: CameraPose;
}

export interface RenderedFrame {
  width: number;
  height: number;
  celsius: Float32Array;
  truePose: CameraPose;
  /** The pose as the drone reports it: the true one plus the errors of its sensors. */
  reportedPose: CameraPose;
  scene: Scene;
  /** Each person's true position and where they appear in the frame (pixels), when they do. */
  people: Array<PersonTruth & { lat: number; lon: number; pixel?: { x: number; y: number } }>;
}

/** The errors of a consumer drone's pose, one standard deviation each. */
export const POSE_ERRORS = { horizontalM: 1.2, altitudeM: 0.5, yawDeg: 2, pitchDeg: 0.8, rollDeg: 0.5 };

/** Where in the frame a new thing may go: a random pixel away from the edges, on the ground. */
function placeInView(random: Random, spec: FrameSpec, margin = 0.12): { east: number; north: number } | undefined {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const x = between(random, margin, 1 - margin) * spec.width;
    const y = between(random, margin, 1 - margin) * spec.height;
    const g = pixelToGroundOffset(spec.pose, spec, { x, y });
    // Far beyond 120 m an oblique frame's pixels are too coarse to count anyone.
    if (g && Math.hypot(g.east, g.north) < 120) return g;
  }
  return undefined;
}

function person(random: Random, kind: TargetKind, at: { east: number; north: number }, headingDeg: number): Shape[] {
  const rad = (headingDeg * Math.PI) / 180;
  const clothes = between(random, 4, 9);
  const face = between(random, 14, 22);
  if (kind === 'lying' || kind === 'lying_blanket') {
    const length = between(random, 1.5, 1.9);
    const body: Shape = { kind: 'ellipse', ...at, lengthM: length, widthM: between(random, 0.4, 0.55), headingDeg, aboveGroundC: clothes, layer: 1, heightM: 0.25 };
    const head: Shape = {
      kind: 'ellipse', east: at.east + Math.sin(rad) * (length / 2 - 0.12), north: at.north + Math.cos(rad) * (length / 2 - 0.12),
      lengthM: 0.22, widthM: 0.18, headingDeg, aboveGroundC: face, layer: 2, heightM: 0.25,
    };
    // One in four has the head covered (a hood, a hat, a face turned down): the clothes alone show.
    if (kind === 'lying') return random() < 0.25 ? [body] : [body, head];
    // A blanket over everything, head and all: only its warmed surface shows.
    return [{ ...body, lengthM: length + 0.15, widthM: between(random, 0.6, 0.8), aboveGroundC: between(random, 2.5, 4.5), layer: 3, heightM: 0.3 }];
  }
  const across = between(random, 0.5, 0.7);
  const tall = between(random, 0.75, 0.95);
  const seat: Shape = { kind: 'ellipse', ...at, lengthM: across, widthM: across * between(random, 0.8, 1), headingDeg, aboveGroundC: clothes, layer: 1, heightM: tall - 0.2 };
  // The head on top: seen obliquely it is the part that lies farthest from the camera on the ground.
  const head: Shape = { kind: 'ellipse', ...at, lengthM: 0.2, widthM: 0.18, headingDeg, aboveGroundC: face, layer: 2, heightM: tall, fromHeightM: tall - 0.22 };
  if (kind === 'sitting') return random() < 0.25 ? [seat] : [seat, head];
  return [{ ...seat, lengthM: across + 0.15, widthM: across + 0.1, aboveGroundC: between(random, 2.5, 4.5), layer: 3, heightM: tall + 0.05 }];
}

function distractor(random: Random, kind: DistractorKind, at: { east: number; north: number }, headingDeg: number): Shape[] {
  switch (kind) {
    case 'dog':
      return [{ kind: 'ellipse', ...at, lengthM: between(random, 0.55, 0.9), widthM: between(random, 0.22, 0.32), headingDeg, aboveGroundC: between(random, 7, 12), layer: 1, heightM: between(random, 0.25, 0.5) }];
    case 'vent':
      return [{ kind: 'rect', ...at, lengthM: between(random, 0.4, 0.9), widthM: between(random, 0.4, 0.7), headingDeg, aboveGroundC: 0, absoluteC: between(random, 50, 90), layer: 1, heightM: 0.3 }];
    case 'car_bonnet': {
      // The car's body is a little colder than the ground (metal sees the night sky); its bonnet is warm.
      const rad = (headingDeg * Math.PI) / 180;
      return [
        { kind: 'rect', ...at, lengthM: 4.4, widthM: 1.8, headingDeg, aboveGroundC: -1.5, layer: 1, heightM: 1.45 },
        { kind: 'rect', east: at.east + Math.sin(rad) * 1.5, north: at.north + Math.cos(rad) * 1.5, lengthM: 1.2, widthM: 1.6, headingDeg, aboveGroundC: 0, absoluteC: between(random, 22, 40), layer: 2, heightM: 0.9, fromHeightM: 0.8 },
      ];
    }
    case 'road':
      return [{ kind: 'rect', ...at, lengthM: 400, widthM: between(random, 5, 9), headingDeg, aboveGroundC: between(random, 1.5, 4), layer: 0 }];
    case 'warm_wall':
      return [{ kind: 'rect', ...at, lengthM: between(random, 8, 30), widthM: between(random, 0.3, 0.5), headingDeg, aboveGroundC: between(random, 3, 7), layer: 1, heightM: between(random, 2, 4) }];
    case 'water':
      return [{ kind: 'ellipse', ...at, lengthM: between(random, 15, 60), widthM: between(random, 8, 25), headingDeg, aboveGroundC: between(random, -2, 7), layer: 0 }];
  }
}

export interface SceneMix {
  people: number;
  /** Of the people, how many come as pairs side by side (counted as two). */
  pairs: number;
  blanketShare: number;
  sittingShare: number;
  distractors: DistractorKind[];
}

/** A scene in view of the frame: its people and distractors placed where the camera sees them, apart. */
export function makeScene(random: Random, spec: FrameSpec, mix: SceneMix): Scene {
  const groundC = between(random, -6, 4);
  const scene: Scene = {
    groundC, shapes: [], people: [], distractors: [],
    texture: Array.from({ length: 4 }, () => {
      const wavelength = between(random, 2, 12);
      const angle = between(random, 0, Math.PI);
      return { amplitude: between(random, 0.1, 0.35), kx: (2 * Math.PI * Math.cos(angle)) / wavelength, ky: (2 * Math.PI * Math.sin(angle)) / wavelength, phase: between(random, 0, 2 * Math.PI) };
    }),
  };
  const taken: Array<{ east: number; north: number; r: number }> = [];
  const free = (at: { east: number; north: number }, r: number) => taken.every((t) => Math.hypot(t.east - at.east, t.north - at.north) > t.r + r)
    && keepOut.every((shape) => !hits(shape, at.east, at.north, spec.pose.relativeAltitudeM));
  const place = (r: number) => {
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const at = placeInView(random, spec);
      if (at && free(at, r)) { taken.push({ ...at, r }); return at; }
    }
    return undefined;
  };
  // Large background things first. Nobody lies in the water or inside a wall; a road may have anything on it.
  const keepOut: Shape[] = [];
  for (const kind of mix.distractors.filter((k) => k === 'road' || k === 'water' || k === 'warm_wall')) {
    const at = placeInView(random, spec, 0.3);
    if (!at) continue;
    const shapes = distractor(random, kind, at, between(random, 0, 180));
    scene.shapes.push(...shapes);
    if (kind !== 'road') keepOut.push(...shapes.map((shape) => ({ ...shape, lengthM: shape.lengthM + 3, widthM: shape.widthM + 3, heightM: 0 })));
    scene.distractors.push({ kind, ...at });
  }
  const kindOf = (): TargetKind => {
    const sitting = random() < mix.sittingShare;
    const blanket = random() < mix.blanketShare;
    return sitting ? (blanket ? 'sitting_blanket' : 'sitting') : (blanket ? 'lying_blanket' : 'lying');
  };
  let singles = mix.people - 2 * mix.pairs;
  for (let p = 0; p < mix.pairs; p += 1) {
    const at = place(2.5);
    if (!at) continue;
    const heading = between(random, 0, 360);
    const rad = (heading * Math.PI) / 180;
    // Side by side, a gap of 0.3–1 m between them (across their length).
    const gap = between(random, 0.3, 1) + 0.5;
    const kinds = [kindOf(), kindOf()];
    kinds.forEach((kind, side) => {
      const offset = (side === 0 ? -1 : 1) * gap / 2;
      const spot = { east: at.east + Math.cos(rad) * offset, north: at.north - Math.sin(rad) * offset };
      scene.shapes.push(...person(random, kind, spot, heading + between(random, -10, 10)));
      scene.people.push({ kind, ...spot, pairedWith: scene.people.length + (side === 0 ? 1 : -1) });
    });
  }
  while (singles-- > 0) {
    const at = place(2);
    if (!at) continue;
    const kind = kindOf();
    scene.shapes.push(...person(random, kind, at, between(random, 0, 360)));
    scene.people.push({ kind, ...at });
  }
  for (const kind of mix.distractors.filter((k) => k !== 'road' && k !== 'water' && k !== 'warm_wall')) {
    const at = place(kind === 'car_bonnet' ? 3.5 : 1.5);
    if (!at) continue;
    scene.shapes.push(...distractor(random, kind, at, between(random, 0, 360)));
    scene.distractors.push({ kind, ...at });
  }
  scene.shapes.sort((a, b) => a.layer - b.layer);
  return scene;
}

/** A scene of given people (metres east and north of the camera's point on the ground), on a winter night's ground. */
export function sceneOf(random: Random, people: Array<{ east: number; north: number; kind: TargetKind }>): Scene {
  const scene = makeScene(random, { width: 64, height: 64, hfovDeg: 45, pose: { lat: 0, lon: 0, relativeAltitudeM: 40, gimbalPitchDeg: -90, gimbalYawDeg: 0, hfovDeg: 45 } }, { people: 0, pairs: 0, blanketShare: 0, sittingShare: 0, distractors: [] });
  for (const p of people) {
    scene.shapes.push(...person(random, p.kind, p, between(random, 0, 360)));
    scene.people.push(p);
  }
  scene.shapes.sort((a, b) => a.layer - b.layer);
  return scene;
}

/**
 * What a ray that meets the ground at (east, north) sees: the ground's texture, or the topmost shape it passes
 * through. A ray going up from the ground towards the camera (at 0, 0, `cameraM` high) passes over the ground
 * nearer the camera: a tall shape there is in its way.
 */
function temperatureAt(scene: Scene, east: number, north: number, cameraM: number): number {
  let ground = scene.groundC;
  for (const w of scene.texture) ground += w.amplitude * Math.cos(w.kx * east + w.ky * north + w.phase);
  // The surface (ground, road, water), then what stands or lies on it, warmer or colder than that surface.
  let surface = ground;
  let t = ground;
  for (const s of scene.shapes) {
    const reach = s.lengthM + (s.heightM ?? 0) * 4;
    if (Math.abs(east - s.east) > reach || Math.abs(north - s.north) > reach) continue;
    if (!hits(s, east, north, cameraM)) continue;
    if (s.layer === 0) t = surface = ground + s.aboveGroundC;
    else t = s.absoluteC ?? surface + s.aboveGroundC;
  }
  return t;
}

function hits(s: Shape, east: number, north: number, cameraM: number): boolean {
  const rad = (s.headingDeg * Math.PI) / 180;
  const from = s.fromHeightM ?? 0;
  const to = s.heightM ?? 0;
  const steps = to > 0 ? 4 : 0;
  for (let k = 0; k <= steps; k += 1) {
    const z = steps ? from + ((to - from) * k) / steps : 0;
    // The ray's point at height z, on its way up to the camera.
    const f = 1 - z / cameraM;
    const de = east * f - s.east;
    const dn = north * f - s.north;
    const along = de * Math.sin(rad) + dn * Math.cos(rad);
    const across = de * Math.cos(rad) - dn * Math.sin(rad);
    const u = along / (s.lengthM / 2);
    const v = across / (s.widthM / 2);
    if (s.kind === 'ellipse' ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 1) return true;
  }
  return false;
}

/** Renders a scene as the camera at the true pose sees it, and reports the pose with the sensors' errors. */
export function renderFrame(random: Random, spec: FrameSpec, scene: Scene): RenderedFrame {
  const { width, height } = spec;
  const sharp = new Float32Array(width * height);
  const sub = [0.25, 0.75];
  const sky = scene.groundC - 25;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      for (const sy of sub) {
        for (const sx of sub) {
          const g = pixelToGroundOffset(spec.pose, spec, { x: x + sx, y: y + sy });
          sum += g ? temperatureAt(scene, g.east, g.north, spec.pose.relativeAltitudeM) : sky;
        }
      }
      sharp[y * width + x] = sum / 4;
    }
  }
  // Optics: a small Gaussian blur (σ ≈ 0.7 px); then vignetting, per-column offsets and temporal noise (NETD 50 mK).
  const blurred = blur(sharp, width, height);
  const vignette = between(random, 0.3, 1.5);
  const columns = Array.from({ length: width }, () => gaussian(random) * 0.04);
  const celsius = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const r2 = ((x - width / 2) / (width / 2)) ** 2 + ((y - height / 2) / (height / 2)) ** 2;
      celsius[y * width + x] = blurred[y * width + x]! - vignette * r2 / 2 + columns[x]! + gaussian(random) * 0.05;
    }
  }
  const origin = { lat: spec.pose.lat, lon: spec.pose.lon };
  const shift = { east: gaussian(random) * POSE_ERRORS.horizontalM, north: gaussian(random) * POSE_ERRORS.horizontalM };
  const reportedAt = offsetToLatLon(origin, shift);
  const reportedPose: CameraPose = {
    ...spec.pose, ...reportedAt,
    relativeAltitudeM: spec.pose.relativeAltitudeM + gaussian(random) * POSE_ERRORS.altitudeM,
    gimbalYawDeg: spec.pose.gimbalYawDeg + gaussian(random) * POSE_ERRORS.yawDeg,
    gimbalPitchDeg: Math.max(-90, spec.pose.gimbalPitchDeg + gaussian(random) * POSE_ERRORS.pitchDeg),
    gimbalRollDeg: (spec.pose.gimbalRollDeg ?? 0) + gaussian(random) * POSE_ERRORS.rollDeg,
  };
  const people = scene.people.map((p) => {
    const at = offsetToLatLon(origin, p);
    const pixel = pixelOf(spec, p);
    return { ...p, ...at, ...(pixel ? { pixel } : {}) };
  });
  return { width, height, celsius, truePose: spec.pose, reportedPose, scene, people };
}

/** Where a world point appears in the frame (pixels), by the true pose. */
function pixelOf(spec: FrameSpec, point: { east: number; north: number }) {
  // Inverse of the ground projection, by Newton steps on the forward one (exact for flat ground).
  let x = spec.width / 2;
  let y = spec.height / 2;
  for (let i = 0; i < 30; i += 1) {
    const g = pixelToGroundOffset(spec.pose, spec, { x, y });
    const gx = pixelToGroundOffset(spec.pose, spec, { x: x + 0.5, y });
    const gy = pixelToGroundOffset(spec.pose, spec, { x, y: y + 0.5 });
    if (!g || !gx || !gy) return undefined;
    const a = (gx.east - g.east) / 0.5, b = (gy.east - g.east) / 0.5, c = (gx.north - g.north) / 0.5, d = (gy.north - g.north) / 0.5;
    const det = a * d - b * c;
    const re = point.east - g.east;
    const rn = point.north - g.north;
    x += (d * re - b * rn) / det;
    y += (-c * re + a * rn) / det;
    if (Math.hypot(re, rn) < 1e-3) break;
  }
  return x >= 0 && y >= 0 && x < spec.width && y < spec.height ? { x, y } : undefined;
}

function blur(src: Float32Array, width: number, height: number): Float32Array {
  const k = [0.2, 0.6, 0.2];
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const l = src[y * width + Math.max(0, x - 1)]!;
      const r = src[y * width + Math.min(width - 1, x + 1)]!;
      tmp[y * width + x] = k[0]! * l + k[1]! * src[y * width + x]! + k[2]! * r;
    }
  }
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const u = tmp[Math.max(0, y - 1) * width + x]!;
      const d = tmp[Math.min(height - 1, y + 1) * width + x]!;
      out[y * width + x] = k[0]! * u + k[1]! * tmp[y * width + x]! + k[2]! * d;
    }
  }
  return out;
}

/**
 * The same scene seen from a drone moved `by` metres (east, north): a sweep's next frame. The scene's coordinates
 * are the camera's, so the world moves the other way; the pose moves on the map.
 */
export function movedDrone(spec: FrameSpec, scene: Scene, by: { east: number; north: number }): { spec: FrameSpec; scene: Scene } {
  const shift = <T extends { east: number; north: number }>(thing: T): T => ({ ...thing, east: thing.east - by.east, north: thing.north - by.north });
  const texturePhase = (w: Scene['texture'][number]) => ({ ...w, phase: w.phase + w.kx * by.east + w.ky * by.north });
  return {
    spec: { ...spec, pose: { ...spec.pose, ...offsetToLatLon(spec.pose, by) } },
    scene: { ...scene, shapes: scene.shapes.map(shift), people: scene.people.map(shift), distractors: scene.distractors.map(shift), texture: scene.texture.map(texturePhase) },
  };
}

/** A frame of the generator's range: height 20–80 m, pitch −90° to −45°, any yaw, a 640 × 512 sensor (or the one given). */
export function randomFrameSpec(
  random: Random, origin: { lat: number; lon: number },
  range: { altitudeM?: [number, number]; pitchDeg?: [number, number]; sensor?: { width: number; height: number } } = {},
): FrameSpec {
  const [a0, a1] = range.altitudeM ?? [20, 80];
  const [p0, p1] = range.pitchDeg ?? [-90, -45];
  const sensor = range.sensor ?? { width: 640, height: 512 };
  return {
    ...sensor, hfovDeg: 45.5,
    pose: {
      ...origin, relativeAltitudeM: between(random, a0, a1), gimbalPitchDeg: between(random, p0, p1),
      gimbalYawDeg: between(random, -180, 180), gimbalRollDeg: gaussian(random) * 0.5, hfovDeg: 45.5,
    },
  };
}

/** The scene mixes the benchmark and tests draw from: each of the cases, and a busy mixture. */
export const SCENE_MIXES: Record<string, SceneMix> = {
  lying: { people: 2, pairs: 0, blanketShare: 0, sittingShare: 0, distractors: [] },
  sitting: { people: 2, pairs: 0, blanketShare: 0, sittingShare: 1, distractors: [] },
  blankets: { people: 2, pairs: 0, blanketShare: 1, sittingShare: 0.3, distractors: [] },
  pairs: { people: 2, pairs: 1, blanketShare: 0.3, sittingShare: 0.3, distractors: [] },
  dogs_and_vents: { people: 1, pairs: 0, blanketShare: 0.3, sittingShare: 0.3, distractors: ['dog', 'dog', 'vent'] },
  car_and_road: { people: 1, pairs: 0, blanketShare: 0.3, sittingShare: 0.3, distractors: ['road', 'car_bonnet'] },
  wall_and_water: { people: 1, pairs: 0, blanketShare: 0.5, sittingShare: 0.3, distractors: ['warm_wall', 'water'] },
  empty: { people: 0, pairs: 0, blanketShare: 0, sittingShare: 0, distractors: ['road', 'dog', 'vent', 'car_bonnet'] },
  busy: { people: 4, pairs: 1, blanketShare: 0.4, sittingShare: 0.3, distractors: ['road', 'dog', 'vent', 'car_bonnet', 'warm_wall'] },
};

export { latLonToOffset };
