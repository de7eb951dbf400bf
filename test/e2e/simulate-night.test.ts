import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/runtime/local-stack';
import { type NightFigures, simulateNight } from '../../scripts/simulate-night';
import { ApiClient, loadDemoDirectory, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * A small winter night (scripts/simulate-night.ts) through the API of an in-process stack: the cases it leaves must
 * match the ground truth. Correctness only; the ingest rate it measures is printed by `npm run simulate`, not asserted.
 */
let stack: LocalStack;
let night: NightFigures;

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  // The demo's directory: teams to alert, and the help point whose api_key the tips use.
  await loadDemoDirectory();
  night = await simulateNight({ url: stack.url, seed: 7, scale: 0.3, settleMs: 8_000 });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a simulated night', () => {
  it('sends every kind of traffic, and the API answers each as expected', () => {
    expect(night.traffic.tips).toBeGreaterThan(0);
    expect(night.traffic.sightings).toBeGreaterThan(0);
    expect(night.traffic.outOfOrderBatches).toBeGreaterThan(0);
    expect(night.answers.unexpected).toEqual([]);
  });

  it('sends as registered devices, each with client credentials of its own, as a city would', async () => {
    const api = new ApiClient(stack.url);
    const coordinator = await api.token({ role: 'coordinator', sub: 'sim-check' });
    const devices = (await api.call('GET', '/v1/devices', { token: coordinator })).body.items as { kind: string; status: string; clientId?: string }[];
    expect(devices.filter((d) => d.kind === 'drone').length).toBeGreaterThan(0);
    expect(devices.every((d) => d.status === 'active' && d.clientId)).toBe(true);
  });

  it("sends some drone passes as radiometric frames, analysed into the same places' cases", () => {
    const { frames } = night.traffic;
    expect(frames.sent).toBeGreaterThan(0);
    expect(frames.analysed).toBe(frames.sent);
    expect(frames.landed).toBeGreaterThan(0);
    expect(frames.hotSpots).toBeLessThanOrEqual(frames.peopleInView);
  });

  it('makes one case per place with people, and no case holds two places', () => {
    expect(night.correlation.splitPlaces).toEqual([]);
    expect(night.correlation.mergedCases).toEqual([]);
    expect(night.correlation.misplacedReports).toEqual([]);
    expect(night.correlation.nearestPlaceMismatch).toEqual([]);
    expect(night.cases.ofPeople).toBe(night.truth.places);
    // Places a street apart are among them, and stay apart.
    expect(night.truth.nearPairs.length).toBeGreaterThan(0);
  });

  it('alerts someone about every place with people', () => {
    expect(night.correlation.peopleLeftUnverified).toEqual([]);
    expect(night.cases.peopleCasesByStatus.unverified ?? 0).toBe(0);
  });

  it('keeps every warm false positive an unverified lead that alerted nobody', () => {
    expect(night.falsePositives.leads).toBe(night.truth.falsePositivePlaces);
    expect(night.falsePositives.unverified).toBe(night.falsePositives.leads);
    expect(night.falsePositives.notUnverified).toEqual([]);
    expect(night.falsePositives.alerted).toEqual([]);
  });

  it('recognises resent batches, repeated frames and retried reports, and rejects only the bad frames', () => {
    expect(night.traffic.resentBatches.withKey).toBeGreaterThan(0);
    expect(night.traffic.resentBatches.withoutKey).toBeGreaterThan(0);
    expect(night.answers.duplicate.expected).toBeGreaterThan(0);
    expect(night.answers.duplicate.detections).toBe(night.answers.duplicate.expected);
    expect(night.answers.replayed.expected).toBeGreaterThan(0);
    expect(night.answers.replayed.responses).toBe(night.answers.replayed.expected);
    expect(night.answers.rejected.expected).toBeGreaterThan(0);
    expect(night.answers.rejected.detections).toBe(night.answers.rejected.expected);
  });

  it('walks the patrols through the hot spots after a cold-wave warning: late and resent positions land once, and the stops are checks', () => {
    const patrols = night.patrols!;
    expect(patrols.warning).not.toBe('skipped');
    expect(patrols.stops).toBeGreaterThan(0);
    expect(patrols.positions.lateBatches).toBeGreaterThan(0);
    expect(patrols.positions.rejected).toBe(0);
    // Every position sent landed once: the resent batches came back as duplicates, nothing else did.
    expect(patrols.positions.accepted).toBe(patrols.positions.sent);
    expect(patrols.checkIns.refused).toBe(0);
    expect(patrols.unexpected).toEqual([]);
    expect(patrols.coverage.coldWave).toBe(true);
    expect(patrols.coverage.checkedAtLeastOnce).toBeGreaterThan(0);
    // A fifth of the hot spots are left for nobody: the night is not covered.
    expect(patrols.coverage.covered).toBeLessThan(patrols.coverage.hotSpots);
  });
});
