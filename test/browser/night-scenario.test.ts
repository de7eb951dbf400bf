import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../web/src/app/messages';
import {
  appShellKept, type BrowserSystem, casesNamed, newRoleContext, screenshot, signIn, startBrowserSystem, watchPage,
} from '../support/browser';

/**
 * The acceptance path, with the three pages open at once: a patrol member reports a sighting with no
 * signal; it waits in the phone's outbox (nothing reaches the API) and is sent, once, when the signal returns; the
 * coordinator's wall shows the new case without a reload; the station's duty officer takes it; the wall shows it taken.
 */
let system: BrowserSystem;
let coordinator: Page;
let station: Page;
let patrol: Page;
let patrolContext: BrowserContext;

/**
 * Where the patrol member stands: on 八一大桥, a few hundred metres east of the demo's case under its north ramp
 * (28.6829, 115.8579), beyond the 40 m within which a report joins an open case, so the report opens a case of its own.
 */
const ON_THE_BRIDGE = { latitude: 28.6829, longitude: 115.8620, accuracy: 10 };
/** The second report (the flaky-signal check): further east along the bridge, again a place of its own. */
const FURTHER_EAST = { latitude: 28.6829, longitude: 115.8660, accuracy: 10 };

const zh = MESSAGES['zh-CN'];
const runId = Date.now().toString(36);
const PLACE = `八一大桥东段桥墩-${runId}`;
const SECOND_PLACE = `八一大桥东引桥下-${runId}`;

let caseId: string;
let mapCountBefore: number;

beforeAll(async () => {
  system = await startBrowserSystem();
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

const caseRow = (page: Page, id: string) => page.locator(`[data-testid="case-row"][data-case-id="${id}"]`);
/** The case on the map: its own marker, or the cluster that holds it where cases would overlap. */
const caseMarker = (page: Page, id: string) =>
  page.locator(`[data-testid="case-map"] [data-case-id="${id}"], [data-testid="case-map"] [data-case-ids~="${id}"]`).first();
const pending = (page: Page) => page.getByTestId('outbox').getAttribute('data-pending');

/**
 * The report form as a patrol member uses it: the big button, a place type, a name for the place (to find the case
 * by), 上报 once the phone has its position.
 */
async function reportSighting(page: Page, placeName: string) {
  await page.getByRole('button', { name: zh.patrol.report.open, exact: true }).click();
  const form = page.getByRole('dialog').locator('form');
  const bridge = form.getByRole('button', { name: zh.place.bridge, exact: true });
  await bridge.click();
  expect(await bridge.getAttribute('aria-pressed')).toBe('true');
  await form.getByLabel(zh.patrol.report.placeName, { exact: true }).fill(placeName);
  await form.locator('[data-testid="position-status"][data-state="fixed"]').waitFor({ timeout: 15_000 });
  await form.getByRole('button', { name: '上报', exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 10_000 });
}


/** The case the API holds for a place name: exactly one, with exactly one sighting. */
async function theOneCaseNamed(placeName: string) {
  const cases = await casesNamed(system, placeName);
  expect(cases.map((c) => c.caseId), `cases named ${placeName}`).toHaveLength(1);
  const detail = await system.api.call('GET', `/v1/cases/${cases[0]!.caseId}`, { token: system.coordinatorToken });
  expect(detail.status).toBe(200);
  expect(detail.body.sightings, `sightings of ${placeName}`).toHaveLength(1);
  return detail.body as { caseId: string; status: string; placeName: string; sightings: unknown[] };
}

describe('a night: offline report → wall → station → wall', () => {
  it('1. the coordinator opens the wall: the map and the list of cases', async () => {
    const context = await newRoleContext(system.browser, 'coordinator');
    coordinator = watchPage(await context.newPage(), 'coordinator');
    await signIn(coordinator, system.url, 'coordinator');
    const map = coordinator.getByTestId('case-map');
    await map.waitFor({ timeout: 30_000 });
    // The demo's four open cases are on the wall.
    await expect.poll(async () => Number(await map.getAttribute('data-case-count')), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    mapCountBefore = Number(await map.getAttribute('data-case-count'));
    await expect.poll(() => coordinator.locator('[data-testid="case-row"][data-case-id][data-status][data-risk]').count()).toBeGreaterThanOrEqual(4);
    // The map fits itself to the hot spots once they are read (GET /v1/hot-spots): closer in, the cases separate.
    await expect.poll(() => coordinator.locator('[data-testid="case-map"] [data-case-id]').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    // Proof, at the end, that the wall was never reloaded: a mark on this document's window.
    await coordinator.evaluate('window.neverReloaded = true');
    await screenshot(coordinator, 'scenario-1-coordinator-wall');
  }, 120_000);

  it('2. a patrol member with no signal reports a sighting: it waits in the outbox, then is sent once', async () => {
    patrolContext = await newRoleContext(system.browser, 'patrol', { geolocation: ON_THE_BRIDGE });
    patrol = watchPage(await patrolContext.newPage(), 'patrol');
    await signIn(patrol, system.url, 'patrol', { teamId: 'team-01' });
    await patrol.getByRole('button', { name: zh.patrol.report.open, exact: true }).waitFor({ timeout: 30_000 });
    // The member opened the page with signal at the start of the shift, long enough for the phone to keep it.
    await appShellKept(patrol);

    await patrolContext.setOffline(true);
    await reportSighting(patrol, PLACE);
    await expect.poll(() => pending(patrol), { timeout: 10_000 }).toBe('1');
    await screenshot(patrol, 'scenario-2-offline-report');
    // Nothing reached the API while the phone had no signal.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await casesNamed(system, PLACE)).toHaveLength(0);

    await patrolContext.setOffline(false);
    await expect.poll(() => pending(patrol), { timeout: 30_000 }).toBe('0');
    const sent = patrol.locator('[data-testid="outbox-sent"][data-case-id]');
    await sent.first().waitFor({ timeout: 10_000 });
    expect(await sent.count()).toBe(1);
    const sentCaseId = await sent.getAttribute('data-case-id');
    await screenshot(patrol, 'scenario-2-sent');

    const theCase = await theOneCaseNamed(PLACE);
    caseId = theCase.caseId;
    expect(sentCaseId).toBe(caseId);
  }, 120_000);

  it('3. the wall shows the new case without a reload', async () => {
    expect(caseId).toBeDefined();
    await caseMarker(coordinator, caseId).waitFor({ state: 'attached', timeout: 20_000 });
    await caseRow(coordinator, caseId).waitFor({ timeout: 20_000 });
    await expect.poll(async () => Number(await coordinator.getByTestId('case-map').getAttribute('data-case-count')), { timeout: 10_000 })
      .toBe(mapCountBefore + 1);
    expect(await coordinator.evaluate('window.neverReloaded')).toBe(true);
    await screenshot(coordinator, 'scenario-3-wall-new-case');
  }, 120_000);

  it('4. the station duty officer takes the case by sending a team (派单)', async () => {
    expect(caseId).toBeDefined();
    const context = await newRoleContext(system.browser, 'station');
    station = watchPage(await context.newPage(), 'station');
    await signIn(station, system.url, 'station');
    const incoming = station.locator(`[data-testid="incoming-case"][data-case-id="${caseId}"]`);
    await incoming.waitFor({ timeout: 30_000 });
    await screenshot(station, 'scenario-4-station-incoming');
    // There is no bare 接单 that sends nobody: the desk's primary action is to dispatch.
    expect(await incoming.getByRole('button', { name: '接单', exact: true }).count()).toBe(0);
    await incoming.getByRole('button', { name: zh.action.dispatch, exact: true }).click();
    const dialog = station.getByRole('dialog');
    // The team already alerted (else the nearest on duty) is chosen; the officer confirms it.
    await expect.poll(() => dialog.locator('input[name="teamId"]:checked').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(station, 'scenario-4-station-dispatch');
    await dialog.getByRole('button', { name: zh.action.dispatch, exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });

    // Taken: the row says so, or it has moved out of the incoming list to the cases in hand, saying so there.
    await expect.poll(async () => {
      const row = await incoming.count() ? await incoming.getAttribute('data-status') : 'moved';
      const shown = await station.locator(`[data-case-id="${caseId}"][data-status="acknowledged"]`).count();
      return row === 'acknowledged' || (row === 'moved' && shown > 0);
    }, { timeout: 15_000 }).toBe(true);
    const detail = await system.api.call('GET', `/v1/cases/${caseId}`, { token: system.coordinatorToken });
    expect(detail.body.status).toBe('acknowledged');
    expect(detail.body.assignedTeamId).toMatch(/^team-/);
    expect(detail.body.notifications.some((n: { kind: string }) => n.kind === 'dispatch')).toBe(true);
    await screenshot(station, 'scenario-4-station-acknowledged');
  }, 120_000);

  it('5. the wall shows the case acknowledged, still without a reload', async () => {
    expect(caseId).toBeDefined();
    await expect.poll(() => caseRow(coordinator, caseId).getAttribute('data-status'), { timeout: 20_000 }).toBe('acknowledged');
    // Its own marker says so, or the cluster that holds it does.
    await expect.poll(async () => {
      const marker = caseMarker(coordinator, caseId);
      return (await marker.getAttribute('data-status')) ?? (await marker.getAttribute('data-case-statuses'))?.split(' ').find((s) => s.startsWith(`${caseId}=`))?.split('=')[1];
    }, { timeout: 10_000 }).toBe('acknowledged');
    expect(await coordinator.evaluate('window.neverReloaded')).toBe(true);
    await screenshot(coordinator, 'scenario-5-wall-acknowledged');
  }, 120_000);

  it('6. a flaky signal: the outbox survives a reload, and answers lost as signal comes and goes make one sighting', async () => {
    await appShellKept(patrol);
    await patrolContext.setGeolocation(FURTHER_EAST);
    await patrolContext.setOffline(true);
    await reportSighting(patrol, SECOND_PLACE);
    await expect.poll(() => pending(patrol), { timeout: 10_000 }).toBe('1');

    // The phone is restarted with no signal: the page opens again, from the app shell it keeps, with the report.
    await patrol.reload();
    await expect.poll(() => pending(patrol), { timeout: 30_000 }).toBe('1');
    await screenshot(patrol, 'scenario-6-reloaded-offline');
    expect(await casesNamed(system, SECOND_PLACE)).toHaveLength(0);

    // Signal comes back twice, each time just long enough for the report to reach the API and not for the answer
    // to come back, and goes again: the phone must send it again, and the API must recognise it as the same report.
    let answersLost = 0;
    await patrol.route('**/v1/sightings', async (route) => {
      await route.fetch();
      answersLost += 1;
      await route.abort('internetdisconnected');
    });
    for (let round = 1; round <= 2; round += 1) {
      await patrolContext.setOffline(false);
      await expect.poll(() => answersLost, { timeout: 30_000, message: `the report sent again after signal came back (${round})` })
        .toBeGreaterThanOrEqual(round);
      await patrolContext.setOffline(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await patrol.unroute('**/v1/sightings');
    expect(await pending(patrol)).toBe('1');
    await patrolContext.setOffline(false);
    await expect.poll(() => pending(patrol), { timeout: 30_000 }).toBe('0');
    const second = await theOneCaseNamed(SECOND_PLACE);
    expect(second.caseId).not.toBe(caseId);
    await patrol.locator(`[data-testid="outbox-sent"][data-case-id="${second.caseId}"]`).waitFor({ timeout: 10_000 });
    await screenshot(patrol, 'scenario-6-sent');
    // And the first report is still one case with one sighting.
    await theOneCaseNamed(PLACE);
  }, 120_000);
});
