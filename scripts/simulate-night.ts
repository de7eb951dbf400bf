/**
 * `npm run simulate`: a winter night in Nanchang, driven through the public HTTP API of a running local stack
 * (`npm start`), with a known ground truth: who sleeps where. Afterwards it compares the cases the system made with
 * that truth (places split into several cases, cases merging several places, false positives that alerted someone)
 * and reports the ingest rate it saw. It doubles as the demo: the coordinator's screen then shows a busy night.
 *
 *   npm run simulate -- [--url http://127.0.0.1:3000] [--seed 1] [--scale 1] [--concurrency 6] [--json]
 *
 * It talks only to the loopback URL it is given, as any outside client would: JSON, bearer tokens from
 * POST /v1/dev/token, Open311 form posts with the demo help point's api_key.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { formatPatrols, type PatrolFigures, simulatePatrols } from './simulate-patrols';
import { DEMO_CASE_PLACES, FALSE_POSITIVES, HOT_SPOTS, type HotSpot, seededRandom, type Team, type WarmThing } from '#local/runtime/demo-city';
import { latLonToOffset } from '#shared/domain/thermal/camera';
import type { DeviceKind } from '#shared/contract/vocabulary';
import { frameTiff } from '../test/support/thermal/frames';
import { renderFrame, sceneOf, seeded } from '../test/support/thermal/scenes';

export interface SimulateOptions {
  /** The local stack, e.g. http://127.0.0.1:3000; only loopback addresses are accepted. */
  url: string;
  seed?: number;
  /** 1 is a city night (~30 people, ~3,000 detections); 0.3 a few places for a test; 2 twice the traffic. */
  scale?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** The Open311 help point's api_key (the demo's by default). */
  helpPointKey?: string;
  /** How long to wait, at most, for the workflows to alert the new cases before reading them back. */
  settleMs?: number;
  /** Also walk the patrols through the hot spots after a cold-wave warning (scripts/simulate-patrols.ts); default on. */
  patrols?: boolean;
  log?: (line: string) => void;
}

type Random = ReturnType<typeof seededRandom>;

interface Point { lat: number; lon: number }
const M_PER_DEG = 111_320;
export const distanceM = (a: Point, b: Point) => {
  const r = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
};
const offset = (p: Point, northM: number, eastM: number): Point => ({
  lat: +(p.lat + northM / M_PER_DEG).toFixed(7),
  lon: +(p.lon + eastM / (M_PER_DEG * Math.cos((p.lat * Math.PI) / 180))).toFixed(7),
});
const noisy = (random: Random, p: Point, sigmaM: number) => offset(p, random.gauss(sigmaM), random.gauss(sigmaM));
/**
 * Where a device puts a report of `p`, and the accuracy it states: a position fix's stated accuracy is the radius that
 * holds about two fixes in three (per-axis σ = stated / 1.5), and one report in twenty errs three times as far (a
 * reflection off a bridge deck, a camera's ground projection at the edge of its view).
 */
export const FIELD_TAIL = { every: 20, times: 3 };
const fieldFix = (random: Random, p: Point, statedM: number, bias: { north: number; east: number } = { north: 0, east: 0 }) => {
  const sigma = (statedM / 1.5) * (random.chance(1 / FIELD_TAIL.every) ? FIELD_TAIL.times : 1);
  return { ...offset(p, bias.north + random.gauss(sigma), bias.east + random.gauss(sigma)), accuracyM: statedM };
};
/** JSON with sorted keys: a replayed answer may list the same fields in another order. */
const canonical = (value: unknown): string => JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
  ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (values: number[]) => {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** RFC 3339 in Asia/Shanghai, as a patrol phone in Nanchang writes it. */
const shanghai = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
const shanghaiClock = (ms: number) => shanghai(ms).slice(11, 16);

// ─── The night's traffic ──────────────────────────────────────────────────────────────────────────────────────

/** The night is the 8 hours before the run, compressed into it; every report carries its own observedAt. */
const NIGHT_MINUTES = 480;

interface Person { spot: string; position: Point; ageGroup: string; sex: string; conditions: string[]; surfaceTempC: number }

interface DetectionBody {
  detectionId: string;
  observedAt: string;
  location: { lat: number; lon: number; accuracyM: number };
  confidence: number;
  surfaceTempC?: number;
  ambientTempC?: number;
  label?: string;
}

/** What a detection in a batch is about: a place id (a spot or a warm thing), or a bad detection meant to be rejected. */
type Truth = { place: string } | { reject: string } | { duplicateOf: number };

type Delivery =
  | {
    kind: 'detections'; deliverAt: number; deviceId: string; source: string; detections: unknown[]; truth: Truth[];
    idempotencyKey?: string; resend: boolean; newestObservedAt: number;
  }
  | { kind: 'sighting'; deliverAt: number; team: Team; body: Record<string, unknown>; place: string; idempotencyKey: string; retry: boolean }
  | { kind: 'tip'; deliverAt: number; form: Record<string, string>; place: string; idempotencyKey: string; retry: boolean }
  | { kind: 'frame'; deliverAt: number; deviceId: string; place: string; shot: FrameShot };

/**
 * A pass a drone sent as a radiometric frame instead of its own detections: where it hovered (true), what it looked
 * at, and who was in view. The frame is rendered when it is sent (test/support/thermal/scenes.ts), with the pose the
 * drone reports (its sensors' errors) in the frame's DJI XMP.
 */
interface FrameShot {
  seed: number;
  takenAt: number;
  drone: Point & { altitudeM: number; pitchDeg: number; yawDeg: number };
  people: { position: Point; covered: boolean; sitting: boolean }[];
}
/** The share of drone passes over people sent as frames (the rest as the drone's own detections). */
const FRAME_SHARE = 0.25;

/** The frame a shot makes: an M30T's 640 × 512 radiometric TIFF of the people in view, the pose with the drone's errors. */
function renderShot(shot: FrameShot): Uint8Array {
  const random = seeded(shot.seed);
  const scene = sceneOf(random, shot.people.map((p) => ({
    ...latLonToOffset(shot.drone, p.position),
    kind: p.sitting ? (p.covered ? 'sitting_blanket' : 'sitting') : (p.covered ? 'lying_blanket' : 'lying'),
  })));
  const pose = { lat: shot.drone.lat, lon: shot.drone.lon, relativeAltitudeM: shot.drone.altitudeM, gimbalPitchDeg: shot.drone.pitchDeg, gimbalYawDeg: shot.drone.yawDeg, gimbalRollDeg: 0, hfovDeg: 45.5 };
  return frameTiff(renderFrame(random, { width: 640, height: 512, hfovDeg: 45.5, pose }, scene), { takenAt: new Date(shot.takenAt) });
}

interface Night {
  spots: HotSpot[];
  warm: WarmThing[];
  people: Person[];
  deliveries: Delivery[];
  nightStart: number;
}

/**
 * The accuracy each kind of device states (m), as field devices err: a drone's frame about 8 m (its GPS and the
 * gimbal's ground projection), a fixed camera 3 m (surveyed mount), the camera network's AI 15–20 m (a person's
 * box projected from a pole camera), a city inspector's handset 10 m, a patrol phone 8–16 m, a help-point tip 20 m.
 */
const ACCURACY = { drone: 8, fixed: 3, cameraAi: [15, 20], city: 10, patrol: [8, 16], tip: 20 } as const;
const REJECTS = [
  (d: DetectionBody) => ({ ...d, confidence: 1.4, label: 'sensor glitch: confidence over 1' }),
  (d: DetectionBody) => ({ ...d, observedAt: new Date(Date.parse(d.observedAt) + 8 * 3_600_000 + 3_600_000 * 24).toISOString(), label: 'clock drift' }),
  (d: DetectionBody) => ({ ...d, location: { ...d.location, lat: 128.68 }, label: 'lat and lon swapped badly' }),
  (d: DetectionBody) => {
    const { location: _dropped, ...rest } = d;
    return { ...rest, label: 'no GPS fix' };
  },
];

function chooseSpots(scale: number): { spots: HotSpot[]; warm: WarmThing[] } {
  if (scale >= 1) return { spots: [...HOT_SPOTS], warm: [...FALSE_POSITIVES] };
  // A small night still has a group, places a street apart, a help-point tip and warm false positives.
  const must = ['bayi-east-n', 'bayi-east-s', 'hongdu-viaduct-a', 'hongdu-viaduct-b', 'station-west-square', 'station-west-bus', 'bayi-square-underpass', 'shengjinta-site'];
  const count = Math.max(must.length, Math.round(HOT_SPOTS.length * scale));
  const spots = [...HOT_SPOTS.filter((s) => must.includes(s.id)), ...HOT_SPOTS.filter((s) => !must.includes(s.id))].slice(0, count);
  const drones = new Set(spots.map((s) => s.drone));
  const warm = FALSE_POSITIVES.filter((w) => w.seenBy === 'fixed-06' || drones.has(w.seenBy)).slice(0, Math.max(2, Math.round(FALSE_POSITIVES.length * scale)));
  return { spots, warm };
}

/** Catches a mistyped coordinate: the truth only means something if the places are where the comments say. */
function checkGeometry() {
  HOT_SPOTS.forEach((a, i) => HOT_SPOTS.slice(i + 1).forEach((b) => {
    const d = distanceM(a, b);
    if (d < 60 || (d > 120 && d < 250)) throw new Error(`hot spots ${a.id} and ${b.id} are ${Math.round(d)} m apart: neither a street apart nor separate`);
  }));
  for (const w of FALSE_POSITIVES) {
    const nearest = Math.min(...HOT_SPOTS.map((s) => distanceM(s, w)));
    if (nearest < 300) throw new Error(`false positive ${w.id} is ${Math.round(nearest)} m from a hot spot`);
  }
  for (const s of HOT_SPOTS) {
    if (DEMO_CASE_PLACES.some((d) => distanceM(d, s) < 150)) throw new Error(`hot spot ${s.id} is next to a demo case`);
  }
}

/**
 * The night's deliveries, in the order they reach the API. `runTag` keeps detection ids and Idempotency-Keys apart
 * from an earlier run's against the same stack; everything else follows from the seed.
 */
export function planNight(seed: number, scale: number, nightEnd: number, runTag = nightEnd.toString(36)): Night {
  checkGeometry();
  const random = seededRandom(seed);
  const { spots, warm } = chooseSpots(scale);
  const volume = Math.max(0.25, scale);
  const nightStart = nightEnd - NIGHT_MINUTES * 60_000;
  const at = (minute: number) => nightStart + minute * 60_000;
  const ambientAt = (minute: number) => round1(2 - 6 * (minute / NIGHT_MINUTES) + random.gauss(0.5));

  const people: Person[] = spots.flatMap((spot) => Array.from({ length: spot.people }, (_, i) => {
    const group = spot.people > 1;
    const ageGroup = group && i === spot.people - 1 && random.chance(0.4) ? 'child' : random.pick(['adult', 'adult', 'elderly', 'elderly', 'unknown']);
    const conditions = ['inadequate_clothing', 'ill', 'intoxicated', 'mental_distress', 'injured', 'disabled'].filter(() => random.chance(0.18));
    return {
      spot: spot.id,
      position: group ? offset(spot, random.gauss(2.5), random.gauss(2.5)) : offset(spot, random.gauss(1), random.gauss(1)),
      ageGroup, sex: random.pick(['male', 'male', 'female', 'unknown']), conditions,
      surfaceTempC: round1(random.uniform(27, 33)),
    };
  }));
  const peopleAt = (spotId: string) => people.filter((p) => p.spot === spotId);
  const deliveries: Delivery[] = [];
  // Every sixth drone batch carries a bad frame, every twelfth batch a frame twice, and the first batch with a key and
  // the first without one are resent (besides 9% at random): even a small night exercises each.
  const made = { batches: 0, droneBatches: 0, resentWithKey: 0, resentWithoutKey: 0 };
  const batch = (deviceId: string, source: string, readyAt: number, items: { body: DetectionBody; truth: Truth }[], options: { key?: string; delayed?: boolean } = {}) => {
    if (!items.length) return;
    // Most batches arrive within two minutes; some wait for landing or a network outage (up to 90 minutes).
    const late = options.delayed ?? random.chance(0.18);
    const delay = late ? random.uniform(15, 90) : random.uniform(0, 2);
    const detections: unknown[] = items.map((i) => i.body);
    const truth = items.map((i) => i.truth);
    if (source === 'drone_thermal' && made.droneBatches++ % 6 === 0) {
      // A bad frame: the device's own bug, rejected alone.
      const index = random.int(0, items.length - 1);
      const bad = REJECTS[deliveries.length % REJECTS.length]!({ ...items[index]!.body, detectionId: `${items[index]!.body.detectionId}-x` });
      detections.push(bad);
      truth.push({ reject: String(bad.label) });
    }
    if (made.batches++ % 12 === 5) {
      // The device's buffer sent one frame twice in the same batch.
      const index = random.int(0, items.length - 1);
      detections.push(items[index]!.body);
      truth.push({ duplicateOf: index });
    }
    const deliverAt = readyAt + delay;
    const newestObservedAt = Math.max(...items.map((i) => Date.parse(i.body.observedAt)));
    const resend = random.chance(0.09) || (options.key ? made.resentWithKey === 0 : made.resentWithoutKey === 0);
    if (resend) made[options.key ? 'resentWithKey' : 'resentWithoutKey'] += 1;
    deliveries.push({
      kind: 'detections', deliverAt, deviceId, source, detections, truth, resend, newestObservedAt,
      ...(options.key ? { idempotencyKey: options.key } : {}),
    });
  };

  // Drones: sorties over their district's spots and the warm things on the way; several frames per person, seconds apart.
  const drones = [...new Set(spots.map((s) => s.drone))].sort();
  // The frames of one pass over a person share most of their error (the drone's GPS drifts slowly): a bias per pass.
  const passBias = () => ({ north: random.gauss(ACCURACY.drone / 2.5), east: random.gauss(ACCURACY.drone / 2.5) });
  const sorties = Math.max(2, Math.round(4 * volume));
  // Which passes go as frames, and how those are flown, from a stream of their own: the rest of the night is as before.
  const frameRandom = seededRandom(seed + 7_919);
  for (const drone of drones) {
    const droneId = drone;
    const route = [...spots.filter((s) => s.drone === drone), ...warm.filter((w) => w.seenBy === drone)];
    for (let sortie = 0; sortie < sorties; sortie += 1) {
      let minute = (NIGHT_MINUTES / sorties) * sortie + random.uniform(5, 30);
      let frame = 0;
      const frames: { minute: number; body: DetectionBody; truth: Truth }[] = [];
      const push = (t: number, truth: Truth, location: DetectionBody['location'], fields: Pick<DetectionBody, 'confidence' | 'surfaceTempC' | 'ambientTempC' | 'label'>) => {
        const observedAt = new Date(t).toISOString();
        frames.push({
          minute, truth,
          body: { detectionId: `${drone}/${observedAt}/${frame++}`, observedAt, location, ...fields },
        });
      };
      for (const stop of random.shuffle([...route])) {
        minute += random.uniform(1, 3);
        const ambientTempC = ambientAt(minute);
        if ('seenBy' in stop) {
          if (!random.chance(0.8)) continue;
          const where = stop.wandersM ? noisy(random, stop, stop.wandersM) : stop;
          const bias = passBias();
          for (let k = random.int(1, 3); k > 0; k -= 1) {
            push(at(minute) + k * random.uniform(2_000, 5_000), { place: stop.id }, fieldFix(random, where, ACCURACY.drone, bias), {
              confidence: round2(random.uniform(0.2, 0.45)), surfaceTempC: round1(random.uniform(...stop.surfaceTempC)), ambientTempC, label: 'warm_object',
            });
          }
          continue;
        }
        // Some passes come as a frame for the server to analyse; the night's other traffic stays as it was planned.
        const asFrame = frameRandom.chance(FRAME_SHARE);
        const framesBefore = frames.length;
        const inView: FrameShot['people'] = [];
        for (const person of peopleAt(stop.id)) {
          if (!random.chance(0.9)) continue; // under the deck, out of the camera's view this pass
          const covered = random.chance(0.1); // under a quilt: every frame is weak
          inView.push({ position: person.position, covered, sitting: frameRandom.chance(0.3) });
          const start = at(minute) + random.uniform(0, 20_000);
          const bias = passBias();
          for (let k = random.int(4, 12); k > 0; k -= 1) {
            push(start + k * random.uniform(2_000, 5_000), { place: stop.id }, fieldFix(random, person.position, ACCURACY.drone, bias), {
              confidence: round2(covered ? random.uniform(0.3, 0.48) : random.uniform(0.55, 0.96)),
              surfaceTempC: round1(person.surfaceTempC + random.gauss(0.6)), ambientTempC, label: 'person',
            });
          }
        }
        if (asFrame && inView.length) {
          frames.splice(framesBefore);
          const takenAt = at(minute) + frameRandom.uniform(5_000, 30_000);
          // Hovering near the place, 30–60 m up, looking down or ahead of itself at it.
          const pitchDeg = -frameRandom.uniform(60, 90);
          const altitudeM = frameRandom.uniform(30, 60);
          const yawDeg = frameRandom.uniform(-180, 180);
          const back = altitudeM / Math.tan((-pitchDeg * Math.PI) / 180);
          const drone = offset(stop, -Math.cos((yawDeg * Math.PI) / 180) * back, -Math.sin((yawDeg * Math.PI) / 180) * back);
          deliveries.push({
            kind: 'frame', deliverAt: minute + frameRandom.uniform(0.5, 3), deviceId: droneId, place: stop.id,
            shot: { seed: frameRandom.int(1, 2 ** 30), takenAt, drone: { ...drone, altitudeM, pitchDeg, yawDeg }, people: inView },
          });
        }
      }
      const landing = minute + random.uniform(5, 15);
      // Streamed in flight in chunks of 20–200, or uploaded after landing in chunks of at most 200.
      const afterLanding = random.chance(0.4);
      const sizes: number[] = [];
      for (let left = frames.length; left > 0;) {
        const size = Math.min(left, afterLanding ? Math.ceil(frames.length / Math.ceil(frames.length / 200)) : random.int(20, 200));
        sizes.push(size);
        left -= size;
      }
      if (sizes.length > 1 && sizes.at(-1)! < 20) {
        const tail = sizes.pop()! + sizes.pop()!;
        sizes.push(...(tail <= 200 ? [tail] : [Math.ceil(tail / 2), Math.floor(tail / 2)]));
      }
      let from = 0;
      sizes.forEach((size, part) => {
        const chunk = frames.slice(from, from + size);
        from += size;
        batch(drone, 'drone_thermal', afterLanding ? landing : chunk.at(-1)!.minute, chunk.map(({ body, truth }) => ({ body, truth })), {
          key: `${drone}-${runTag}-s${sortie}-p${part}`, ...(afterLanding ? { delayed: false } : {}),
        });
      });
    }
  }

  // Fixed thermal cameras: the same people every few minutes, uploaded every quarter hour, without Idempotency-Keys.
  const cameras = new Map<string, string[]>();
  for (const spot of spots) if (spot.fixedCam) cameras.set(spot.fixedCam, [...(cameras.get(spot.fixedCam) ?? []), spot.id]);
  if (warm.some((w) => w.seenBy === 'fixed-06')) cameras.set('fixed-06', warm.filter((w) => w.seenBy === 'fixed-06').map((w) => w.id));
  for (const [camera, watched] of [...cameras].sort(([a], [b]) => a.localeCompare(b))) {
    let buffer: { body: DetectionBody; truth: Truth }[] = [];
    let seq = 0;
    let nextUpload = 15;
    for (let minute = random.uniform(0, 5); minute < NIGHT_MINUTES; minute += random.uniform(3, 6) / volume) {
      while (minute >= nextUpload) {
        batch(camera, 'fixed_thermal', nextUpload, buffer);
        buffer = [];
        nextUpload += 15;
      }
      const t = at(minute);
      for (const placeId of watched) {
        const thing = warm.find((w) => w.id === placeId);
        const targets = thing ? [{ position: thing as Point, weak: true, temp: random.uniform(...thing.surfaceTempC) }]
          : peopleAt(placeId).filter(() => random.chance(0.85)).map((p) => ({ position: p.position, weak: false, temp: p.surfaceTempC }));
        for (const target of targets) {
          buffer.push({
            body: {
              detectionId: `${camera}-${runTag}-${String(seq++).padStart(6, '0')}`, observedAt: new Date(t).toISOString(),
              location: fieldFix(random, target.position, ACCURACY.fixed),
              confidence: round2(target.weak ? random.uniform(0.25, 0.42) : random.uniform(0.55, 0.9)),
              surfaceTempC: round1(target.temp + random.gauss(0.5)), ambientTempC: ambientAt(minute),
            },
            truth: { place: placeId },
          });
        }
      }
    }
    batch(camera, 'fixed_thermal', NIGHT_MINUTES, buffer);
  }

  // The police camera network's AI: hits at squares and streets, pushed every ten minutes with an Idempotency-Key.
  const aiSpots = spots.filter((s) => s.cameraAi);
  if (aiSpots.length) {
    const hits: { minute: number; body: DetectionBody; truth: Truth }[] = [];
    let seq = 0;
    for (const spot of aiSpots) {
      for (let minute = random.uniform(0, 30); minute < NIGHT_MINUTES; minute += random.uniform(20, 45) / volume) {
        for (const person of peopleAt(spot.id).filter(() => random.chance(0.8))) {
          hits.push({
            minute,
            body: {
              detectionId: `tw-${runTag}-${String(seq++).padStart(7, '0')}`, observedAt: new Date(at(minute)).toISOString(),
              location: fieldFix(random, person.position, random.int(...ACCURACY.cameraAi)),
              confidence: round2(random.uniform(0.6, 0.93)), label: '疑似露宿人员 / person lying down',
            },
            truth: { place: spot.id },
          });
        }
      }
    }
    for (let push = 10, n = 0; push <= NIGHT_MINUTES + 10; push += 10, n += 1) {
      batch('tianwang-nc', 'camera_ai', push, hits.filter((h) => h.minute < push && h.minute >= push - 10).map(({ body, truth }) => ({ body, truth })), { key: `tianwang-nc-${runTag}-push-${n}` });
    }
  }

  // City-management tickets (数字城管): an inspector's report, one per request.
  let ticket = 0;
  for (const spot of spots.filter((s) => s.cityTicket)) {
    for (let n = random.int(1, 2); n > 0; n -= 1) {
      const minute = random.uniform(20, 440);
      batch('szcg-nc', 'city_management', minute, [{
        body: {
          detectionId: `szcg-${runTag}-${String(++ticket).padStart(5, '0')}`, observedAt: new Date(at(minute)).toISOString(),
          location: fieldFix(random, spot, ACCURACY.city), confidence: 0.9,
          label: `城管巡查上报：${spot.name}有人露宿`,
        },
        truth: { place: spot.id },
      }], { key: `szcg-${runTag}-ticket-${ticket}` });
    }
  }

  // Patrol teams on foot: one or two visits per place with people; a phone that lost the answer sends it again.
  let report = 0;
  for (const spot of spots) {
    const visits = [random.uniform(30, 460), ...(random.chance(0.35) ? [random.uniform(30, 460)] : [])];
    for (const minute of visits) {
      report += 1;
      const seen = peopleAt(spot.id);
      deliveries.push({
        kind: 'sighting', deliverAt: minute + random.uniform(0, 3), team: spot.team, place: spot.id,
        idempotencyKey: `sim-${runTag}-${spot.team}-${report}`, retry: random.chance(0.12),
        body: {
          observedAt: shanghai(at(minute)),
          location: fieldFix(random, spot, random.int(...ACCURACY.patrol)),
          place: { type: spot.type, name: spot.name },
          people: seen.map((p) => ({ ageGroup: p.ageGroup, sex: p.sex, conditions: p.conditions })),
          note: seen.length > 1 ? `${seen.length}人在此过夜，已劝导` : random.pick(['睡在纸板上，叫醒能应答', '衣着单薄，拒绝入站', '醉酒，呼吸平稳', '老人，说不清住址']),
          teamId: spot.team,
        },
      });
    }
  }

  // Passers-by at the 八一广场 help point (Open311), in the last three hours: a tip is stamped when it arrives.
  let tip = 0;
  for (const spot of spots.filter((s) => s.helpPointTip)) {
    tip += 1;
    // A tip's pin carries no accuracy (Open311 has none): the server assumes a help point's.
    const { accuracyM: _none, ...where } = fieldFix(random, spot, ACCURACY.tip);
    deliveries.push({
      kind: 'tip', deliverAt: random.uniform(NIGHT_MINUTES - 180, NIGHT_MINUTES - 2), place: spot.id,
      idempotencyKey: `sim-${runTag}-tip-${tip}`, retry: tip === 1,
      form: {
        service_code: 'person_in_need', lat: where.lat.toFixed(6), long: where.lon.toFixed(6),
        address_string: spot.name, description: `${spot.name}有人躺在地上，穿得很少，天太冷了`,
      },
    });
  }

  deliveries.sort((a, b) => a.deliverAt - b.deliverAt);
  return { spots, warm, people, deliveries, nightStart };
}

// ─── Talking to the stack ─────────────────────────────────────────────────────────────────────────────────────

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export class StackNotRunning extends Error {
  override name = 'StackNotRunning';
}

interface Answer { status: number; headers: Headers; body: any }
interface Landed { place: string; caseId: string; report: string; observedAt: string; location: Point; confidence?: number }
interface DetectionAnswer { detectionId: string; status: string; caseId?: string; error?: string }

class Client {
  requests = 0;
  constructor(readonly baseUrl: string) {}

  async call(method: string, path: string, options: { token?: string; json?: unknown; form?: Record<string, string>; key?: string; raw?: { body: string; type: string } } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.key) headers['idempotency-key'] = options.key;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw) {
      headers['content-type'] = options.raw.type;
      body = options.raw.body;
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
      body = new URLSearchParams(options.form).toString();
    }
    this.requests += 1;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch { /* not JSON: keep the text for the error report */ }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  async token(claims: Record<string, string>): Promise<string> {
    const r = await this.call('POST', '/v1/dev/token', { json: claims });
    if (r.status !== 200) throw new Error(`POST /v1/dev/token answered ${r.status}: this is not a local stack, or it is broken (${JSON.stringify(r.body)})`);
    return r.body.token as string;
  }
}

async function waitForHealth(url: string, log: (line: string) => void) {
  const deadline = Date.now() + 60_000;
  for (let first = true; ; first = false) {
    let status: number | undefined;
    try {
      status = (await fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) })).status;
    } catch {
      throw new StackNotRunning(`nothing answers at ${url}/health. Start the local stack first, in another terminal: \`npm start\` `
        + '(or point the simulator at yours with --url / SIM_URL).');
    }
    if (status === 200) return;
    if (status !== 503) throw new StackNotRunning(`${url}/health answered ${status}: is this the street-rescue local stack? Start it with \`npm start\`.`);
    if (Date.now() > deadline) throw new StackNotRunning(`${url}/health still says the stack is starting after a minute`);
    if (first) log('the local stack is still starting; waiting for /health');
    await sleep(1_000);
  }
}

/** Runs `work` over `items` in order of start, `limit` at a time. */
async function inOrder<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  }));
}

// ─── The figures ──────────────────────────────────────────────────────────────────────────────────────────────

export interface NightFigures {
  url: string;
  seed: number;
  scale: number;
  night: { from: string; to: string };
  truth: {
    people: number;
    places: number;
    groups: number;
    nearPairs: { a: string; b: string; distanceM: number }[];
    falsePositivePlaces: number;
  };
  traffic: {
    requests: number;
    detectionRequests: number;
    detectionsSent: number;
    droneBatchSizes: { min: number; median: number; max: number };
    sightings: number;
    tips: number | 'skipped: POST /open311/v2/requests.json answered 404';
    /** Whether GET /openapi.json lists the Open311 route the tips use. */
    open311InOpenApi: boolean;
    resentBatches: { withKey: number; withoutKey: number };
    retriedSightings: number;
    retriedTips: number;
    outOfOrderBatches: number;
    /** Drone passes sent as radiometric frames: analysed by the server, their people's hot spots (confidence ≥ 0.5) landed in cases. */
    frames: { sent: number; analysed: number; rejected: number; peopleInView: number; hotSpots: number; landed: number };
  };
  answers: {
    accepted: number;
    duplicate: { detections: number; expected: number };
    replayed: { responses: number; expected: number };
    rejected: { detections: number; expected: number };
    /** Anything the API answered that the simulator did not expect (a wrong status, a 5xx, a replay that differs). */
    unexpected: string[];
  };
  cases: {
    touched: number;
    ofPeople: number;
    falsePositiveLeads: number;
    existedBefore: number;
    othersOpenedMeanwhile: number;
    peopleCasesByStatus: Record<string, number>;
    peopleCasesByRisk: Record<string, number>;
  };
  correlation: {
    /** A true place whose reports landed in several cases. */
    splitPlaces: {
      place: string; name: string;
      /** A case's location is where the report that opened it was; `aReport` is one of its reports, for the record. */
      cases: { caseId: string; reports: number; location?: Point; fromPlaceM?: number; fromOtherCasesM?: number[]; aReport?: string }[];
    }[];
    /** A case holding reports of several true places. */
    mergedCases: { caseId: string; places: { place: string; reports: number }[] }[];
    /** Reports that landed in a case whose other reports are mostly of another place. */
    misplacedReports: (Landed & { landedWith: string; fromOwnPlaceM: number; fromCaseM: number; caseFromItsPlaceM: number })[];
    /** Cases whose location is nearest to another place than the one most of its reports came from. */
    nearestPlaceMismatch: { caseId: string; nearest: string; distanceM: number; majority: string }[];
    /** Places with people whose every case stayed unverified: nobody was asked to go. */
    peopleLeftUnverified: string[];
  };
  falsePositives: { leads: number; unverified: number; alerted: string[]; notUnverified: { caseId: string; status: string }[] };
  rate: { seconds: number; detectionsPerSecond: number; acceptedPerSecond: number; requestsPerSecond: number; inFlight: number };
  places: { place: string; name: string; people: number; reports: number; cases: string[]; status: string; risk: string }[];
  patrols?: PatrolFigures;
}

export async function simulateNight(options: SimulateOptions): Promise<NightFigures> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  const inFlight = options.concurrency ?? 6;
  const url = options.url.replace(/\/+$/, '');
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' || !LOOPBACK.has(parsed.hostname)) {
    throw new Error(`the simulator only talks to a local stack on this machine (http://127.0.0.1:PORT), not ${url}`);
  }
  if (!(scale > 0 && scale <= 10)) throw new Error(`--scale must be between 0 and 10, got ${scale}`);
  await waitForHealth(url, log);

  const api = new Client(url);
  const coordinator = await api.token({ role: 'coordinator', sub: 'sim-coordinator' });
  const tokens = new Map<string, string>();
  // The devices are registered as a city registers them (an app client each, POST /v1/devices) and get their tokens
  // as they would in the field: client credentials at the token URL, renewed before the hour is up.
  const admin = await api.token({ role: 'admin', sub: 'sim-admin' });
  const stations = await api.call('GET', '/v1/stations', { token: admin });
  const deviceStation = (stations.body?.items as { stationId: string }[] | undefined)?.[0]?.stationId;
  if (!deviceStation) throw new Error('the directory has no station to register the devices with: start the stack with its demo (npm start)');
  const deviceTokens = new Map<string, Promise<{ token: string; until: number }>>();
  const registered = async (deviceId: string, kind: DeviceKind) => {
    const created = await api.call('POST', '/v1/devices', { token: admin, json: { deviceId, name: `模拟设备 ${deviceId}`, kind, stationId: deviceStation } });
    // Registered by an earlier run: new credentials (the old ones stop working).
    const answer = created.status === 409 ? await api.call('POST', `/v1/devices/${encodeURIComponent(deviceId)}/rotate-secret`, { token: admin }) : created;
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`registering device ${deviceId}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer.body.credentials as { clientId: string; clientSecret: string; tokenUrl: string };
  };
  const credentials = new Map<string, Promise<{ clientId: string; clientSecret: string; tokenUrl: string }>>();
  const deviceToken = async (deviceId: string, kind: DeviceKind) => {
    const held = await deviceTokens.get(deviceId);
    if (held && held.until > Date.now() + 5 * 60_000) return held.token;
    if (!credentials.has(deviceId)) credentials.set(deviceId, registered(deviceId, kind));
    const next = credentials.get(deviceId)!.then(async ({ clientId, clientSecret, tokenUrl }) => {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
      const granted = await response.json() as { access_token?: string; expires_in?: number; error?: string };
      if (!granted.access_token) throw new Error(`token for device ${deviceId}: ${response.status} ${granted.error ?? ''}`);
      return { token: granted.access_token, until: Date.now() + (granted.expires_in ?? 3600) * 1000 };
    });
    deviceTokens.set(deviceId, next);
    return (await next).token;
  };
  const KIND_OF_SOURCE: Record<string, DeviceKind> = { drone_thermal: 'drone', fixed_thermal: 'fixed_camera', camera_ai: 'camera_gateway', city_management: 'camera_gateway' };
  const patrolToken = async (team: string) => {
    const key = `patrol:${team}`;
    if (!tokens.has(key)) tokens.set(key, await api.token({ role: 'patrol', sub: `sim-${team}-leader`, teamId: team }));
    return tokens.get(key)!;
  };
  const openapi = await api.call('GET', '/openapi.json');
  const open311Listed = openapi.status === 200 && Boolean(openapi.body?.paths?.['/open311/v2/requests.json']);
  if (!open311Listed) log('GET /openapi.json does not list /open311/v2/requests.json; the help-point tips will try it anyway');

  const runStart = new Date(Date.now() - 1_000).toISOString();
  const night = planNight(seed, scale, Date.now() - 2 * 60_000);
  const { spots, warm, people, deliveries } = night;
  const placeName = new Map<string, string>([...spots.map((s) => [s.id, s.name] as const), ...warm.map((w) => [w.id, w.name] as const)]);
  log(`planned ${deliveries.length} deliveries for ${people.length} people at ${spots.length} places and ${warm.length} warm false positives`);

  // What happened to each report: which true place, which case.
  const landed: Landed[] = [];
  const tipsSent: { place: string; requestId: string; form: Record<string, string> }[] = [];
  const unexpected: string[] = [];
  const counts = {
    accepted: 0, duplicate: 0, expectedDuplicate: 0, rejected: 0, expectedRejected: 0, replayed: 0, expectedReplayed: 0,
    detectionRequests: 0, detectionsSent: 0, sightings: 0, tips: 0, resentWithKey: 0, resentWithoutKey: 0, retriedSightings: 0, retriedTips: 0,
  };
  let tipsMissing = false;
  let newestSent = 0;
  let outOfOrder = 0;
  const knownCases = new Set<string>();
  const problem = (what: string, answer: Answer) => unexpected.push(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);

  const sendDetections = async (d: Extract<Delivery, { kind: 'detections' }>) => {
    const token = await deviceToken(d.deviceId, KIND_OF_SOURCE[d.source] ?? 'camera_gateway');
    const body = { deviceId: d.deviceId, source: d.source, detections: d.detections };
    const send = () => api.call('POST', '/v1/detections', { token, json: body, ...(d.idempotencyKey ? { key: d.idempotencyKey } : {}) });
    counts.detectionRequests += 1;
    counts.detectionsSent += d.detections.length;
    const first = await send();
    if (first.status !== 200) return problem(`POST /v1/detections ${d.deviceId}`, first);
    const results = first.body.results as DetectionAnswer[];
    results.forEach((result, index) => {
      const truth = d.truth[index]!;
      if (result.caseId) knownCases.add(result.caseId);
      if (result.status === 'rejected') counts.rejected += 1;
      if (result.status === 'duplicate') counts.duplicate += 1;
      if ('reject' in truth) {
        counts.expectedRejected += 1;
        if (result.status !== 'rejected') unexpected.push(`${d.deviceId} ${result.detectionId} (${truth.reject}) was ${result.status}, not rejected`);
      } else if ('duplicateOf' in truth) {
        counts.expectedDuplicate += 1;
        // An id repeated within one batch is answered without its case (the first one in the batch carries it).
        if (result.status !== 'duplicate' || (result.caseId && result.caseId !== results[truth.duplicateOf]?.caseId)) {
          unexpected.push(`${d.deviceId} ${result.detectionId} sent twice in one batch was ${result.status}`);
        }
      } else if (result.status === 'accepted') {
        counts.accepted += 1;
        const body = d.detections[index] as DetectionBody;
        landed.push({
          place: truth.place, caseId: result.caseId!, report: `${d.source} ${d.deviceId} ${body.detectionId}`,
          observedAt: body.observedAt, location: body.location, confidence: body.confidence,
        });
      } else {
        unexpected.push(`${d.deviceId} ${result.detectionId} was ${result.status}${result.error ? ` (${result.error})` : ''}, not accepted`);
      }
    });
    if (!d.resend) return;
    // The device never saw the answer and sends the same batch again.
    counts.detectionRequests += 1;
    counts.detectionsSent += d.detections.length;
    const again = await send();
    if (again.status !== 200) return problem(`POST /v1/detections ${d.deviceId} (resent)`, again);
    if (d.idempotencyKey) {
      counts.resentWithKey += 1;
      counts.expectedReplayed += 1;
      if (again.headers.get('idempotency-replayed') === 'true') counts.replayed += 1;
      if (canonical(again.body) !== canonical(first.body)) {
        const differs = (again.body.results as DetectionAnswer[]).map((r, i) => [r, results[i]] as const).filter(([a, b]) => JSON.stringify(a) !== JSON.stringify(b));
        unexpected.push(`${d.deviceId} batch ${d.idempotencyKey} resent with its key answered differently: ${JSON.stringify(differs.slice(0, 2))}`);
      }
      return;
    }
    counts.resentWithoutKey += 1;
    (again.body.results as DetectionAnswer[]).forEach((result, index) => {
      const before = results[index]!;
      if (before.status === 'rejected') {
        counts.expectedRejected += 1;
        if (result.status === 'rejected') counts.rejected += 1;
        else unexpected.push(`${d.deviceId} ${result.detectionId} rejected at first was ${result.status} when resent`);
        return;
      }
      counts.expectedDuplicate += 1;
      if (result.status === 'duplicate') counts.duplicate += 1;
      if (result.status !== 'duplicate' || result.caseId !== before.caseId) {
        unexpected.push(`${d.deviceId} ${result.detectionId} resent was ${result.status} → ${result.caseId}, first ${before.status} → ${before.caseId}`);
      }
    });
  };

  const sendSighting = async (d: Extract<Delivery, { kind: 'sighting' }>) => {
    const token = await patrolToken(d.team);
    counts.sightings += 1;
    const first = await api.call('POST', '/v1/sightings', { token, json: d.body, key: d.idempotencyKey });
    if (first.status !== 201) return problem(`POST /v1/sightings ${d.place}`, first);
    knownCases.add(first.body.caseId);
    landed.push({
      place: d.place, caseId: first.body.caseId, report: `sighting ${d.team} ${first.body.sightingId}`,
      observedAt: String(d.body.observedAt), location: d.body.location as Point,
    });
    if (!d.retry) return;
    counts.retriedSightings += 1;
    counts.expectedReplayed += 1;
    const again = await api.call('POST', '/v1/sightings', { token, json: d.body, key: d.idempotencyKey });
    if (again.headers.get('idempotency-replayed') === 'true') counts.replayed += 1;
    if (again.status !== 201 || again.body.sightingId !== first.body.sightingId || again.body.caseId !== first.body.caseId) {
      problem(`POST /v1/sightings ${d.place} retried with the same Idempotency-Key`, again);
    }
  };

  const sendTip = async (d: Extract<Delivery, { kind: 'tip' }>) => {
    if (tipsMissing) return;
    const form = { ...d.form, api_key: options.helpPointKey ?? 'local-help-point' };
    const first = await api.call('POST', '/open311/v2/requests.json', { form, key: d.idempotencyKey });
    if (first.status === 404 && !Array.isArray(first.body)) {
      tipsMissing = true;
      log('POST /open311/v2/requests.json answered 404: no Open311 route here, help-point tips skipped');
      return;
    }
    counts.tips += 1;
    if (first.status !== 201) return problem(`POST /open311/v2/requests.json ${d.place}`, first);
    const requestId = String(first.body?.[0]?.service_request_id);
    tipsSent.push({ place: d.place, requestId, form: d.form });
    if (!d.retry) return;
    counts.retriedTips += 1;
    counts.expectedReplayed += 1;
    const again = await api.call('POST', '/open311/v2/requests.json', { form, key: d.idempotencyKey });
    if (again.headers.get('idempotency-replayed') === 'true') counts.replayed += 1;
    if (again.status !== 201 || String(again.body?.[0]?.service_request_id) !== requestId) problem(`Open311 tip ${d.place} retried with the same Idempotency-Key`, again);
  };

  const frameCounts = { sent: 0, analysed: 0, rejected: 0, people: 0, hotSpots: 0, landed: 0 };
  const sendFrame = async (d: Extract<Delivery, { kind: 'frame' }>) => {
    const token = await deviceToken(d.deviceId, 'drone');
    const bytes = renderShot(d.shot);
    frameCounts.sent += 1;
    frameCounts.people += d.shot.people.length;
    const created = await api.call('POST', '/v1/uploads', { token, json: { purpose: 'thermal_frame', contentType: 'image/tiff', sizeBytes: bytes.length } });
    if (created.status !== 201) return problem(`POST /v1/uploads (thermal frame) ${d.deviceId}`, created);
    const { 'content-length': _length, ...headers } = created.body.headers as Record<string, string>;
    const put = await fetch(created.body.url, { method: 'PUT', headers, body: bytes });
    if (put.status !== 200) return unexpected.push(`PUT thermal frame ${created.body.uploadId}: ${put.status}`);
    let upload: Answer | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
      upload = await api.call('GET', `/v1/uploads/${created.body.uploadId}`, { token });
      if (upload.status !== 200 || upload.body.status !== 'pending') break;
      await sleep(250);
    }
    if (!upload || upload.status !== 200 || upload.body.status !== 'analysed') {
      frameCounts.rejected += 1;
      return unexpected.push(`thermal frame ${created.body.uploadId} of ${d.place} was not analysed: ${JSON.stringify(upload?.body).slice(0, 300)}`);
    }
    frameCounts.analysed += 1;
    for (const spot of upload.body.hotSpots as { detectionId: string; caseId?: string; confidence: number; lat: number; lon: number }[]) {
      if (spot.confidence < 0.5) continue;
      frameCounts.hotSpots += 1;
      if (!spot.caseId) continue;
      frameCounts.landed += 1;
      knownCases.add(spot.caseId);
      landed.push({
        place: d.place, caseId: spot.caseId, report: `frame ${d.deviceId} ${spot.detectionId}`,
        observedAt: new Date(d.shot.takenAt).toISOString(), location: { lat: spot.lat, lon: spot.lon }, confidence: spot.confidence,
      });
    }
  };

  // Tokens first, so that the measured phase is the night's traffic only.
  for (const d of deliveries) {
    if (d.kind === 'detections') await deviceToken(d.deviceId, KIND_OF_SOURCE[d.source] ?? 'camera_gateway');
    if (d.kind === 'frame') await deviceToken(d.deviceId, 'drone');
    if (d.kind === 'sighting') await patrolToken(d.team);
  }
  const requestsBefore = api.requests;
  const started = performance.now();
  await inOrder(deliveries, inFlight, async (d) => {
    try {
      if (d.kind === 'detections') {
        if (d.newestObservedAt < newestSent) outOfOrder += 1;
        newestSent = Math.max(newestSent, d.newestObservedAt);
        await sendDetections(d);
      } else if (d.kind === 'sighting') {
        await sendSighting(d);
      } else if (d.kind === 'frame') {
        await sendFrame(d);
      } else {
        await sendTip(d);
      }
    } catch (error) {
      unexpected.push(`${d.kind} at night minute ${Math.round(d.deliverAt)}: ${(error as Error).message}`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const requests = api.requests - requestsBefore;
  log(`sent ${requests} requests in ${seconds.toFixed(1)} s; reading the cases back`);

  // Let the workflows alert the new cases (and prove that they alert nobody about the false positives).
  const settleUntil = Date.now() + (options.settleMs ?? 10_000);
  await sleep(500);
  while (Date.now() < settleUntil) {
    const open = await api.call('GET', `/v1/cases?status=open&since=${encodeURIComponent(runStart)}&limit=500`, { token: coordinator });
    if (open.status !== 200 || !open.body.items.length) break;
    await sleep(500);
  }

  const listed: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('GET', `/v1/cases?since=${encodeURIComponent(runStart)}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: coordinator });
    if (page.status !== 200) throw new Error(`GET /v1/cases answered ${page.status}: ${JSON.stringify(page.body)}`);
    listed.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  const caseIds = [...new Set([...listed.map((c) => c.caseId as string), ...knownCases])];
  const details = new Map<string, any>();
  await inOrder(caseIds, 8, async (caseId) => {
    const detail = await api.call('GET', `/v1/cases/${caseId}`, { token: coordinator });
    if (detail.status === 200) details.set(caseId, detail.body);
    else problem(`GET /v1/cases/${caseId}`, detail);
  });
  // A help-point tip answers with its service_request_id, which is the sighting's id in the case it joined.
  const caseOfSighting = new Map<string, string>();
  for (const [caseId, detail] of details) {
    for (const s of detail.sightings ?? []) caseOfSighting.set(s.sightingId, caseId).set(`${s.sightingId}#at`, s.observedAt);
  }
  for (const tip of tipsSent) {
    if (!caseOfSighting.has(tip.requestId)) {
      // It joined a case opened before this run: look at the cases around the place.
      const spot = spots.find((s) => s.id === tip.place)!;
      const [sw, ne] = [offset(spot, -80, -80), offset(spot, 80, 80)];
      const around = await api.call('GET', `/v1/cases?bbox=${sw.lon},${sw.lat},${ne.lon},${ne.lat}&limit=50`, { token: coordinator });
      for (const c of around.status === 200 ? around.body.items : []) {
        if (details.has(c.caseId)) continue;
        const detail = await api.call('GET', `/v1/cases/${c.caseId}`, { token: coordinator });
        if (detail.status !== 200) continue;
        details.set(c.caseId, detail.body);
        for (const s of detail.body.sightings ?? []) caseOfSighting.set(s.sightingId, c.caseId).set(`${s.sightingId}#at`, s.observedAt);
      }
    }
    const caseId = caseOfSighting.get(tip.requestId);
    if (caseId) {
      landed.push({
        place: tip.place, caseId, report: `open311 ${tip.requestId}`, observedAt: caseOfSighting.get(`${tip.requestId}#at`) ?? '',
        location: { lat: Number(tip.form.lat), lon: Number(tip.form.long) },
      });
    }
    else unexpected.push(`help-point tip ${tip.requestId} (${tip.place}) is in none of the cases read back`);
  }

  // Truth against cases.
  const byPlace = new Map<string, Map<string, number>>();
  const byCase = new Map<string, Map<string, number>>();
  for (const { place, caseId } of landed) {
    const p = byPlace.get(place) ?? new Map<string, number>();
    p.set(caseId, (p.get(caseId) ?? 0) + 1);
    byPlace.set(place, p);
    const c = byCase.get(caseId) ?? new Map<string, number>();
    c.set(place, (c.get(place) ?? 0) + 1);
    byCase.set(caseId, c);
  }
  const placeOf = (id: string) => [...spots, ...warm].find((p) => p.id === id)!;
  const majority = (caseId: string) => [...byCase.get(caseId)!].sort((a, b) => b[1] - a[1])[0]![0];
  // For a split place: where each of its cases stands (the location of the report that opened it) and how far apart.
  const splitPlaces = [...byPlace].filter(([, cases]) => cases.size > 1).map(([place, cases]) => ({
    place, name: placeName.get(place) ?? place,
    cases: [...cases].map(([caseId, reports]) => {
      const location = details.get(caseId)?.location as Point | undefined;
      const first = landed.find((l) => l.caseId === caseId);
      const others = [...cases.keys()].filter((id) => id !== caseId).map((id) => details.get(id)?.location as Point | undefined).filter((l): l is Point => Boolean(l));
      return {
        caseId, reports,
        ...(location ? {
          location: { lat: location.lat, lon: location.lon }, fromPlaceM: Math.round(distanceM(location, placeOf(place))),
          fromOtherCasesM: others.map((o) => Math.round(distanceM(location, o))),
        } : {}),
        ...(first ? { aReport: `${first.report} observed ${first.observedAt} at ${first.location.lat},${first.location.lon}` } : {}),
      };
    }),
  }));
  const mergedCases = [...byCase].filter(([, places]) => places.size > 1).map(([caseId, places]) => ({
    caseId, places: [...places].map(([place, reports]) => ({ place, reports })),
  }));
  const misplaced = landed.filter(({ place, caseId }) => majority(caseId) !== place).map((l) => {
    const caseLocation = details.get(l.caseId)?.location as Point | undefined;
    return {
      ...l, landedWith: majority(l.caseId),
      fromOwnPlaceM: Math.round(distanceM(l.location, placeOf(l.place))),
      fromCaseM: caseLocation ? Math.round(distanceM(l.location, caseLocation)) : -1,
      caseFromItsPlaceM: caseLocation ? Math.round(distanceM(caseLocation, placeOf(majority(l.caseId)))) : -1,
    };
  });
  const truthPlaces = [...spots.map((s) => ({ id: s.id, lat: s.lat, lon: s.lon })), ...warm.map((w) => ({ id: w.id, lat: w.lat, lon: w.lon }))];
  const nearestPlaceMismatch = [...byCase.keys()].flatMap((caseId) => {
    const location = details.get(caseId)?.location;
    if (!location) return [];
    const [nearest] = truthPlaces.map((p) => ({ id: p.id, d: distanceM(p, location) })).sort((a, b) => a.d - b.d);
    const most = majority(caseId);
    return nearest && nearest.id !== most ? [{ caseId, nearest: nearest.id, distanceM: Math.round(nearest.d), majority: most }] : [];
  });

  const warmIds = new Set(warm.map((w) => w.id));
  const fpCases = [...byCase].filter(([, places]) => [...places.keys()].every((p) => warmIds.has(p))).map(([caseId]) => caseId);
  const alertedEver = (caseId: string) => {
    const d = details.get(caseId);
    return Boolean(d?.alert) || (d?.timeline ?? []).some((e: { type: string }) => e.type === 'alerted' || e.type === 'escalated');
  };
  const peopleCases = [...byCase.keys()].filter((caseId) => !fpCases.includes(caseId));
  const tally = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
  const peopleLeftUnverified = spots.filter((s) => {
    const cases = [...(byPlace.get(s.id)?.keys() ?? [])];
    return cases.length > 0 && cases.every((caseId) => details.get(caseId)?.status === 'unverified');
  }).map((s) => s.id);
  const existedBefore = [...byCase.keys()].filter((caseId) => {
    const openedAt = details.get(caseId)?.openedAt;
    return openedAt && openedAt < runStart;
  }).length;

  const nearPairs: NightFigures['truth']['nearPairs'] = [];
  spots.forEach((a, i) => spots.slice(i + 1).forEach((b) => {
    const d = distanceM(a, b);
    if (d < 150) nearPairs.push({ a: a.id, b: b.id, distanceM: Math.round(d) });
  }));
  const droneSizes = deliveries.filter((d): d is Extract<Delivery, { kind: 'detections' }> => d.kind === 'detections' && d.source === 'drone_thermal').map((d) => d.detections.length);

  // The patrols through the hot spots, after the observatory's cold-wave warning (it grades only what comes after).
  const patrols = options.patrols === false ? undefined : await simulatePatrols(api, { seed, coordinator, log });
  if (patrols) unexpected.push(...patrols.unexpected);

  return {
    url, seed, scale,
    night: { from: shanghai(night.nightStart), to: shanghai(night.nightStart + NIGHT_MINUTES * 60_000) },
    truth: {
      people: people.length, places: spots.length, groups: spots.filter((s) => s.people > 1).length, nearPairs,
      falsePositivePlaces: warm.length,
    },
    traffic: {
      requests,
      detectionRequests: counts.detectionRequests,
      detectionsSent: counts.detectionsSent,
      droneBatchSizes: { min: Math.min(...droneSizes), median: median(droneSizes), max: Math.max(...droneSizes) },
      sightings: counts.sightings,
      tips: tipsMissing ? 'skipped: POST /open311/v2/requests.json answered 404' : counts.tips,
      open311InOpenApi: open311Listed,
      resentBatches: { withKey: counts.resentWithKey, withoutKey: counts.resentWithoutKey },
      retriedSightings: counts.retriedSightings,
      retriedTips: counts.retriedTips,
      outOfOrderBatches: outOfOrder,
      frames: { sent: frameCounts.sent, analysed: frameCounts.analysed, rejected: frameCounts.rejected, peopleInView: frameCounts.people, hotSpots: frameCounts.hotSpots, landed: frameCounts.landed },
    },
    answers: {
      accepted: counts.accepted,
      duplicate: { detections: counts.duplicate, expected: counts.expectedDuplicate },
      replayed: { responses: counts.replayed, expected: counts.expectedReplayed },
      rejected: { detections: counts.rejected, expected: counts.expectedRejected },
      unexpected,
    },
    cases: {
      touched: byCase.size,
      ofPeople: peopleCases.length,
      falsePositiveLeads: fpCases.length,
      existedBefore,
      othersOpenedMeanwhile: listed.filter((c) => !byCase.has(c.caseId)).length,
      peopleCasesByStatus: tally(peopleCases.map((caseId) => details.get(caseId)?.status ?? '?')),
      peopleCasesByRisk: tally(peopleCases.map((caseId) => details.get(caseId)?.risk ?? '?')),
    },
    correlation: { splitPlaces, mergedCases, misplacedReports: misplaced, nearestPlaceMismatch, peopleLeftUnverified },
    falsePositives: {
      leads: fpCases.length,
      unverified: fpCases.filter((caseId) => details.get(caseId)?.status === 'unverified').length,
      alerted: fpCases.filter(alertedEver),
      notUnverified: fpCases.filter((caseId) => details.get(caseId)?.status !== 'unverified')
        .map((caseId) => ({ caseId, status: String(details.get(caseId)?.status) })),
    },
    rate: {
      seconds: round2(seconds),
      detectionsPerSecond: Math.round(counts.detectionsSent / seconds),
      acceptedPerSecond: Math.round(counts.accepted / seconds),
      requestsPerSecond: Math.round(requests / seconds),
      inFlight,
    },
    places: [...spots, ...warm].map((p) => {
      const cases = [...(byPlace.get(p.id)?.keys() ?? [])];
      const first = details.get(cases[0] ?? '');
      return {
        place: p.id, name: p.name, people: 'people' in p ? p.people : 0,
        reports: [...(byPlace.get(p.id)?.values() ?? [])].reduce((a, b) => a + b, 0),
        cases, status: first?.status ?? '-', risk: first?.risk ?? '-',
      };
    }),
    ...(patrols ? { patrols } : {}),
  };
}

// ─── The command ──────────────────────────────────────────────────────────────────────────────────────────────

export function formatNight(f: NightFigures): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const c = f.correlation;
  const lines = [
    '',
    `  A winter night in Nanchang, through ${f.url}  (seed ${f.seed}, scale ${f.scale})`,
    '',
    `  night        ${f.night.from.slice(0, 16).replace('T', ' ')} → ${shanghaiClock(Date.parse(f.night.to))} Asia/Shanghai (the 8 hours before now), sent in ${f.rate.seconds} s`,
    `  truth        ${f.truth.people} people at ${f.truth.places} places (${f.truth.groups} groups of 2–3), ${f.truth.falsePositivePlaces} warm places with nobody there`,
    `               places a street apart: ${f.truth.nearPairs.map((p) => `${p.a} ↔ ${p.b} ${p.distanceM} m`).join('; ')}`,
    `  traffic      ${n(f.traffic.detectionsSent)} detections in ${f.traffic.detectionRequests} batches (drone batches ${f.traffic.droneBatchSizes.min}–${f.traffic.droneBatchSizes.max}, median ${f.traffic.droneBatchSizes.median}), `
      + `${f.traffic.sightings} patrol sightings, help-point tips (Open311${f.traffic.open311InOpenApi ? ', in /openapi.json' : ', not in /openapi.json'}): ${f.traffic.tips}`,
    `               resent batches ${f.traffic.resentBatches.withKey} with Idempotency-Key + ${f.traffic.resentBatches.withoutKey} without; `
      + `retried sightings ${f.traffic.retriedSightings}, tips ${f.traffic.retriedTips}; ${f.traffic.outOfOrderBatches} batches older than one sent before`,
    `  frames       ${f.traffic.frames.sent} drone passes sent as radiometric frames: ${f.traffic.frames.analysed} analysed, ${f.traffic.frames.rejected} not; `
      + `${f.traffic.frames.peopleInView} people in view, ${f.traffic.frames.hotSpots} confident hot spots, ${f.traffic.frames.landed} in cases`,
    `  answers      accepted ${n(f.answers.accepted)} · duplicate ${n(f.answers.duplicate.detections)} (expected ${n(f.answers.duplicate.expected)}) · `
      + `replayed ${f.answers.replayed.responses} (expected ${f.answers.replayed.expected}) · rejected ${f.answers.rejected.detections} (expected ${f.answers.rejected.expected}) · `
      + `unexpected ${f.answers.unexpected.length}`,
    `  cases        ${f.cases.touched} touched: ${f.cases.ofPeople} of people, ${f.cases.falsePositiveLeads} leads of false positives`
      + `${f.cases.existedBefore ? `; ${f.cases.existedBefore} existed before this run` : ''}${f.cases.othersOpenedMeanwhile ? `; ${f.cases.othersOpenedMeanwhile} opened meanwhile by others` : ''}`,
    `               people's cases by status ${JSON.stringify(f.cases.peopleCasesByStatus)}, by risk ${JSON.stringify(f.cases.peopleCasesByRisk)}`,
    `  correlation  ${f.truth.places} places → ${f.cases.ofPeople} cases: split ${c.splitPlaces.length}, merged ${c.mergedCases.length}, `
      + `reports in another place's case ${c.misplacedReports.length}, case nearest another place ${c.nearestPlaceMismatch.length}, people left unverified ${c.peopleLeftUnverified.length}`,
    `  false pos.   ${f.falsePositives.leads} leads: ${f.falsePositives.unverified} unverified, ${f.falsePositives.alerted.length} alerted anyone`,
    `  ingest       ${n(f.rate.detectionsPerSecond)} detections/s (${n(f.rate.acceptedPerSecond)} accepted/s), ${f.rate.requestsPerSecond} requests/s, ${f.rate.inFlight} in flight`,
    ...(f.patrols ? formatPatrols(f.patrols) : []),
  ];
  for (const s of c.splitPlaces) {
    lines.push(`  ✖ split      ${s.place} (${s.name}) → ${s.cases.length} cases:`);
    for (const x of s.cases) {
      lines.push(`               ${x.caseId} ×${x.reports} at ${x.location?.lat},${x.location?.lon}: ${x.fromPlaceM ?? '?'} m from the place, `
        + `${x.fromOtherCasesM?.join(', ') ?? '?'} m from the other case; e.g. ${x.aReport ?? '?'}`);
    }
  }
  for (const m of c.mergedCases) lines.push(`  ✖ merged     ${m.caseId} ← ${m.places.map((x) => `${x.place} ×${x.reports}`).join(', ')}`);
  for (const r of c.misplacedReports.slice(0, 10)) {
    lines.push(`  ✖ report     ${r.report} (${r.place}, observed ${r.observedAt}, at ${r.location.lat},${r.location.lon}${r.confidence !== undefined ? `, confidence ${r.confidence}` : ''}) `
      + `is ${r.fromOwnPlaceM} m from its place but landed in ${r.caseId} of ${r.landedWith}, ${r.fromCaseM} m from that case's location (${r.caseFromItsPlaceM} m from ${r.landedWith})`);
  }
  for (const m of c.nearestPlaceMismatch) lines.push(`  ✖ misplaced  ${m.caseId}: mostly ${m.majority}, but stands ${m.distanceM} m from ${m.nearest}`);
  for (const p of c.peopleLeftUnverified) lines.push(`  ✖ unverified ${p}: people there, nobody alerted`);
  for (const id of f.falsePositives.alerted) lines.push(`  ✖ false positive alerted: ${id}`);
  for (const u of f.answers.unexpected.slice(0, 20)) lines.push(`  ✖ unexpected ${u}`);
  if (f.answers.unexpected.length > 20) lines.push(`  ✖ … and ${f.answers.unexpected.length - 20} more`);
  lines.push('', '  place                          people reports  cases  status        risk');
  for (const p of f.places) {
    lines.push(`  ${p.place.padEnd(30)} ${String(p.people).padStart(6)} ${String(p.reports).padStart(7)} ${String(p.cases.length).padStart(6)}  ${p.status.padEnd(13)} ${p.risk}`);
  }
  return lines.join('\n');
}

function parseArgs(argv: string[]) {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}'`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'json' || name === 'help') args.set(name, 'true');
    else args.set(name, inline ?? argv[++i] ?? '');
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) {
    console.log('npm run simulate -- [--url http://127.0.0.1:3000] [--seed 1] [--scale 1] [--concurrency 6] [--json]');
    return;
  }
  const number = (name: string, fallback: number) => {
    const raw = args.get(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got '${raw}'`);
    return value;
  };
  const figures = await simulateNight({
    url: args.get('url') ?? process.env.SIM_URL ?? 'http://127.0.0.1:3000',
    seed: number('seed', 1),
    scale: number('scale', 1),
    concurrency: number('concurrency', 6),
    log: (line) => console.error(`  … ${line}`),
  });
  console.log(args.has('json') ? JSON.stringify(figures, null, 2) : formatNight(figures));
  const wrong = figures.correlation.splitPlaces.length + figures.correlation.mergedCases.length + figures.falsePositives.alerted.length
    + figures.answers.unexpected.length;
  process.exitCode = wrong ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`\n✖ ${error instanceof StackNotRunning ? error.message : (error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  });
}
