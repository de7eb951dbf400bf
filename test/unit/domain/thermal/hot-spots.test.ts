import { describe, expect, it } from 'vitest';
import { pixelToGround, pixelToGroundOffset } from '#shared/domain/thermal/camera';
import { findHotSpots, type HotSpotFinding } from '#shared/domain/thermal/hot-spots';
import { scoreFrame } from '../../../support/thermal/evaluate';
import { makeScene, randomFrameSpec, renderFrame, SCENE_MIXES, type SceneMix, seeded } from '../../../support/thermal/scenes';

/**
 * Detection on generated frames (test/support/thermal/scenes.ts): people lying, sitting, under blankets and in pairs
 * among dogs, vents, car bonnets, warm roads, walls and water, seen from 20–80 m at −90° to −45° with a drone's pose
 * errors. A quarter-size sensor (320 × 256) keeps the suite quick; the benchmark (npm run bench:thermal) uses 640 × 512.
 */
const ORIGIN = { lat: 28.68, lon: 115.86 };
const SENSOR = { width: 320, height: 256 };

function frameOf(seed: number, mix: SceneMix, range: Parameters<typeof randomFrameSpec>[2] = {}) {
  const random = seeded(seed);
  const spec = randomFrameSpec(random, ORIGIN, { sensor: SENSOR, ...range });
  const frame = renderFrame(random, spec, makeScene(random, spec, mix));
  const size = { width: frame.width, height: frame.height };
  // As the analysis does: the reported pose, with its errors, not the true one.
  const found = findHotSpots(frame, (x, y) => pixelToGroundOffset(frame.reportedPose, size, { x, y }));
  const placed = found.map((h) => ({ ...h, ...pixelToGround(frame.reportedPose, size, h.centre)! }));
  return { frame, found, placed };
}

const confident = (found: HotSpotFinding[]) => found.filter((h) => h.confidence >= 0.5);
const one = (over: Partial<SceneMix>): SceneMix => ({ people: 1, pairs: 0, blanketShare: 0, sittingShare: 0, distractors: [], ...over });

describe('finding people in a thermal frame', () => {
  it('finds a person lying on the ground, seen straight down from 40 m, and places them within a few metres', () => {
    const { frame, placed } = frameOf(11, one({}), { altitudeM: [40, 40], pitchDeg: [-90, -90] });
    const score = scoreFrame(frame, placed);
    expect(score).toMatchObject({ people: 1, found: 1, falsePositives: 0 });
    expect(score.errorsM[0]).toBeLessThan(5);
  });

  it('finds a person under a blanket, only a few degrees warmer than the ground', () => {
    for (const seed of [21, 22, 23]) {
      const { frame, placed, found } = frameOf(seed, one({ blanketShare: 1 }), { altitudeM: [25, 60] });
      expect(scoreFrame(frame, placed).found).toBe(1);
      expect(confident(found)[0]!.contrastC).toBeLessThan(6);
    }
  });

  it('finds someone sitting, however obliquely seen', () => {
    for (const seed of [31, 32, 33]) {
      const { frame, placed } = frameOf(seed, one({ sittingShare: 1 }), { pitchDeg: [-60, -45] });
      expect(scoreFrame(frame, placed).found).toBe(1);
    }
  });

  it('tells two people lying side by side apart', () => {
    const { frame, placed } = frameOf(41, { ...one({}), people: 2, pairs: 1 }, { altitudeM: [25, 35], pitchDeg: [-90, -80] });
    expect(scoreFrame(frame, placed)).toMatchObject({ people: 2, found: 2 });
  });

  it('does not take a vent, a warm car bonnet, a warm road, a heated wall or water for a person', () => {
    for (const [seed, distractors] of [[51, ['vent', 'vent']], [52, ['car_bonnet']], [53, ['road']], [54, ['warm_wall', 'water']]] as const) {
      const { found } = frameOf(seed, { ...one({}), people: 0, distractors: [...distractors] });
      expect(confident(found)).toEqual([]);
    }
  });

  it('gives no confidence at all to what is hotter than a body (a vent, an engine)', () => {
    const { found } = frameOf(61, { ...one({}), people: 0, distractors: ['vent'] }, { altitudeM: [30, 30], pitchDeg: [-90, -90] });
    expect(found.some((h) => h.surfaceTempC > 45 && h.confidence === 0)).toBe(true);
  });

  it('finds nine in ten people over the scenes, and nine in ten of its confident hot spots are people', () => {
    const totals = { people: 0, found: 0, confident: 0, falsePositives: 0, errors: [] as number[] };
    let seed = 1000;
    for (const mix of Object.values(SCENE_MIXES)) {
      for (let i = 0; i < 4; i += 1) {
        const { frame, placed } = frameOf(seed++, mix);
        const score = scoreFrame(frame, placed);
        totals.people += score.people;
        totals.found += score.found;
        totals.confident += score.confident;
        totals.falsePositives += score.falsePositives;
        totals.errors.push(...score.errorsM);
      }
    }
    expect(totals.people).toBeGreaterThan(40);
    expect(totals.found / totals.people).toBeGreaterThanOrEqual(0.85);
    expect((totals.confident - totals.falsePositives) / totals.confident).toBeGreaterThanOrEqual(0.85);
    const errors = totals.errors.toSorted((a, b) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(4);
    // Off only as far as the pose's errors carry it: never a street away.
    expect(errors.at(-1)).toBeLessThan(20);
  });
});
