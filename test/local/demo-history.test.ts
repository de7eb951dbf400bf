import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_HELP_POINTS, DEMO_STATIONS } from '#local/runtime/demo';
import { type DemoHistoryOptions, historyNights, loadDemoHistory, planDemoHistory } from '#local/runtime/demo-history';
import type { LocalStack } from '#local/runtime/local-stack';
import { createDocumentClient } from '#shared/adapters/aws-clients';
import { CASE_STATUSES } from '#shared/contract/vocabulary';
import { CaseStore } from '#shared/store/case-store';
import { NotificationStore } from '#shared/store/notification-store';
import { WeatherStore } from '#shared/store/weather-store';
import { type Dependencies, dependenciesFromEnvironment } from '#shared/use-cases/dependencies';
import { reconcileWorkflows } from '#shared/use-cases/reconcile-workflows';
import { dynamoEndpoint } from '../support/engines';
import { ApiClient, loadDemoDirectory, startTestStack, synthesizeForTest } from '../support/local-stack';

/**
 * The demo's past nights (local/runtime/demo-history.ts) loaded into a whole local stack, through the use cases:
 * the campaign's figures have a past, every past case is closed, the reconciler leaves them alone, and loading again,
 * or again after a load cut short, adds nothing.
 */
let stack: LocalStack;
let api: ApiClient;
let coordinator: string;
let cases: CaseStore;
let deps: Dependencies;
const db = () => createDocumentClient(dynamoEndpoint());
const table = () => process.env.TABLE_NAME!;

/** The demo's own: tonight's case places and the help point, which the past keeps away from. */
const OPTIONS: DemoHistoryOptions = {
  helpPoint: DEMO_HELP_POINTS[0]!,
  stationId: DEMO_STATIONS[0]!.stationId,
  keepAwayFrom: [{ lat: 28.6829, lon: 115.8579 }, { lat: 28.6905, lon: 115.9461 }, { lat: 28.6632, lon: 115.9187 }, { lat: 28.6981, lon: 115.8507 }],
};

const SHANGHAI_MS = 8 * 3_600_000;
const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + SHANGHAI_MS).toISOString().slice(0, 10);
const midnightBefore = (ms: number) => new Date(Math.floor((ms + SHANGHAI_MS) / 86_400_000) * 86_400_000 - SHANGHAI_MS).toISOString();

const stats = async (from: string, to: string) => {
  const response = await api.call('GET', `/v1/stats?${new URLSearchParams({ from, to, bucket: 'day' })}`, { token: coordinator });
  expect(response.status).toBe(200);
  return response.body;
};

/**
 * A load killed halfway: the weather is read at every triage and disposal, so failing every read after the first
 * `reads` stops each case between two of its steps; and no delivery is recorded, so messages are left pending.
 */
class CrashingWeatherStore extends WeatherStore {
  private reads = 0;

  constructor(private readonly limit: number) {
    super(db(), table());
  }

  override async latest(...args: Parameters<WeatherStore['latest']>) {
    this.reads += 1;
    if (this.reads > this.limit) throw new Error('killed halfway through the history');
    return super.latest(...args);
  }
}

class UndeliverableNotificationStore extends NotificationStore {
  override async recordAttempt(): Promise<boolean> {
    throw new Error('killed before the delivery was recorded');
  }
}

beforeAll(async () => {
  const { templates } = await synthesizeForTest();
  stack = await startTestStack(templates);
  cases = await loadDemoDirectory();
  deps = dependenciesFromEnvironment();
  api = new ApiClient(stack.url);
  coordinator = await api.token({ role: 'coordinator', sub: 'zhao.min' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the demo history', () => {
  // One instant for the load and the checks: the nights it covers change at 18:00 Shanghai.
  const now = new Date();
  let first: Awaited<ReturnType<typeof loadDemoHistory>>;

  it('gives each of the last seven days six cases or more, all closed, with outcomes, minutes and sources', async () => {
    const started = performance.now();
    first = await loadDemoHistory(db(), table(), { ...deps, now: () => now }, OPTIONS);
    console.log(`demo history: ${first.cases} cases of ${first.nights} nights in ${Math.round(performance.now() - started)} ms`);

    const stored = await cases.getCases(first.caseIds);
    expect(stored).toHaveLength(first.cases);
    expect(stored.filter((c) => c.status !== 'closed').map((c) => `${c.caseId} ${c.status}`)).toEqual([]);

    const nights = historyNights(now);
    const figures = await stats(midnightBefore(nights[0]!.start), now.toISOString());
    const byDay = new Map<string, number>(figures.series.points.map((p: { start: string; opened: number }) => [shanghaiDate(p.start), p.opened]));
    for (const night of nights) expect(byDay.get(night.date), `cases opened on ${night.date}`).toBeGreaterThanOrEqual(6);

    expect(figures.cases.opened).toBe(first.cases);
    expect(figures.cases.byStatus.closed).toBe(first.cases);
    const outcomes = Object.entries(figures.outcomes).filter(([, n]) => (n as number) > 0).map(([o]) => o);
    expect(outcomes.length).toBeGreaterThanOrEqual(5);
    expect(outcomes).toEqual(expect.arrayContaining(['escorted_to_station', 'medical_handover', 'false_alarm']));
    for (const step of ['openedToAcknowledged', 'openedToResolved'] as const) {
      expect(figures.minutes[step].medianMinutes).not.toBeNull();
      expect(figures.minutes[step].p90Minutes).not.toBeNull();
    }
    // Acknowledged within 25 minutes or so of opening, escalations included; the median well inside it.
    expect(figures.minutes.openedToAcknowledged.medianMinutes).toBeGreaterThan(1);
    expect(figures.minutes.openedToAcknowledged.p90Minutes).toBeLessThan(30);
    const sources = Object.entries({ ...figures.reports.sightings.bySource, ...figures.reports.detections.bySource })
      .filter(([, n]) => (n as number) > 0).map(([s]) => s);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    expect(sources).toContain('patrol');
    const leads = Object.entries(figures.cases.byLeadSource).filter(([, n]) => (n as number) > 0).map(([s]) => s);
    expect(leads.length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('walks each case through the story planned for it, on the timeline the workflow and the teams would have left', async () => {
    const stories = planDemoHistory(now, deps.correlation.radiusM, OPTIONS.keepAwayFrom);
    const details = await Promise.all(first.caseIds.map(async (caseId) => (await cases.getCaseDetail(caseId))!));
    expect(details).toHaveLength(stories.length);
    details.forEach(({ case: c, timeline }, i) => {
      const story = stories[i]!;
      const types = timeline.map((e) => e.type);
      expect(Date.parse(c.openedAt), c.caseId).toBe(story.openAt);
      if (story.lead === 'weak_machine') {
        expect(c.outcome, c.caseId).toBe('false_alarm');
        return;
      }
      const outcomes = story.visits.map((v) => v.outcome);
      // Someone escorted in and collected by relatives the next morning: the reunion is the case's last outcome.
      const reunited = outcomes.at(-1) === 'escorted_to_station' && !c.revisitCount;
      expect(c.outcome, c.caseId).toBe(reunited ? 'reunited_with_family' : outcomes.at(-1));
      expect(types.filter((t) => t === 'resolved'), c.caseId).toHaveLength(outcomes.length);
      if (types.includes('escalated')) expect(story.visits.some((v) => v.escalations > 0), c.caseId).toBe(true);
      if (outcomes.filter((o) => o === 'declined_help').length === 4) expect(c.revisitCount, c.caseId).toBe(3);
    });
    for (const { case: c, timeline, notifications } of details) {
      const types = timeline.map((e) => e.type);
      expect(types[0], c.caseId).toBe('opened');
      expect(types.at(-1), c.caseId).toBe('closed');
      expect(Date.parse(c.closedAt!)).toBeLessThan(Date.now() - 6 * 3_600_000);
      // Every message of the past is delivered then (sending nothing), none left for the reconciler to send now.
      expect(notifications.filter((n) => n.status !== 'delivered'), c.caseId).toEqual([]);
      if (c.leadSource === 'patrol' || c.leadSource === 'coordinator' || c.leadSource === 'public') {
        expect(types, c.caseId).toEqual(expect.arrayContaining(['sighting', 'triaged', 'alerted', 'acknowledged', 'arrived', 'resolved']));
      }
      if (c.outcome === 'escorted_to_station' || (c.outcome === 'reunited_with_family' && types.includes('intake'))) {
        expect(types.slice(-3), c.caseId).toEqual(['intake', 'discharged', 'closed']);
      }
    }
  });

  it('leaves the reconciler nothing to start, resume or send', async () => {
    const figures = await reconcileWorkflows(deps);
    // Every case closed; the only workflows alive are the follow-ups (回访) of people who left the station of their own
    // will, started as they left.
    expect(figures).toMatchObject({ started: 0, resumed: 0, failed: 0, redispatched: 0, mended: 0 });
  });

  it('adds nothing when loaded again', async () => {
    const nights = historyNights(now);
    const window = [midnightBefore(nights[0]!.start), now.toISOString()] as const;
    const before = await stats(...window);
    const again = await loadDemoHistory(db(), table(), { ...deps, now: () => now }, OPTIONS);
    expect(again.caseIds).toEqual(first.caseIds);
    const after = await stats(...window);
    for (const figures of [before, after]) delete figures.generatedAt;
    expect(after).toEqual(before);
  }, 120_000);

  it('finishes a load cut short without a case twice, and closes every one', async () => {
    // Thirty days back: other nights, other dates, so other keys and places than the load above.
    const then = new Date(Date.now() - 30 * 86_400_000);
    const past = { ...deps, now: () => then };
    const planned = planDemoHistory(then, deps.correlation.radiusM, OPTIONS.keepAwayFrom).length;
    const crashing = { ...past, weather: new CrashingWeatherStore(30), notifications: new UndeliverableNotificationStore(db(), table()) };
    await expect(loadDemoHistory(db(), table(), crashing, OPTIONS)).rejects.toThrow('killed halfway');
    const pending = [];
    for await (const page of deps.notifications.pendingBefore(new Date().toISOString())) pending.push(...page);
    expect(pending.length).toBeGreaterThan(0);

    const resumed = await loadDemoHistory(db(), table(), past, OPTIONS);
    expect(resumed.cases).toBe(planned);
    expect(new Set(resumed.caseIds).size).toBe(planned);

    const nights = historyNights(then);
    const figures = await stats(midnightBefore(nights[0]!.start), midnightBefore(nights.at(-1)!.start + 2 * 86_400_000));
    expect(figures.cases.opened).toBe(planned);
    expect(figures.cases.byStatus).toEqual({ ...Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])), closed: planned });
    expect(await reconcileWorkflows(deps)).toMatchObject({ started: 0, resumed: 0, redispatched: 0 });
  }, 120_000);
});
