import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../web/src/app/messages';
import { simulateNight } from '../../scripts/simulate-night';
import { accessibilityViolations, appShellKept, type BrowserSystem, newRoleContext, screenshot, signIn, startBrowserSystem, watchPage } from '../support/browser';
import { eventually, sightingBody } from '../support/local-stack';

/**
 * A busy night as its users live it, each role's main path on the pages, on a night the simulator made (drones,
 * cameras, patrols, help-point tips, retries and late batches). The screenshots are kept in test/artifacts and the
 * README's come from here. What it walks through:
 *  - the patrol phone: no GPS under a bridge (the report placed at a hot spot, taken by the finder: 我来处置), the
 *    case opened with what the team needs and a navigation link, an arrival 3 km away that the phone asks about,
 *    the signal lost and back (the banner clears), a report left unsent at sign-out (warned, kept for its member,
 *    sent when they sign in again);
 *  - the station desk: 派单 with the alerted team chosen, and the intake of who came in;
 *  - the coordinator's wall in wall mode: larger type, twenty rows and more, clustered markers, the feed in time
 *    order, a timeline whose machine lines are grouped.
 */
let system: BrowserSystem;
const zh = MESSAGES['zh-CN'];
const runId = Date.now().toString(36);

beforeAll(async () => {
  system = await startBrowserSystem();
  // A winter night through the API, as `npm run simulate` drives it (smaller, for the test's time).
  await simulateNight({ url: system.url, seed: 17, scale: 0.3, settleMs: 3_000, patrols: false });
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

const api = () => system.api;
const detailOf = async (caseId: string) => (await api().call('GET', `/v1/cases/${caseId}`, { token: system.coordinatorToken })).body;
const pending = (page: Page) => page.getByTestId('outbox').getAttribute('data-pending');

/** The report form filled in the way a member does it in a hurry: a place type (unless the hot spot gave it), one person. */
async function openReport(page: Page) {
  await page.getByRole('button', { name: zh.patrol.report.open, exact: true }).click();
  return page.getByRole('dialog').locator('form');
}

/** With no fix, the report is placed at a hot spot chosen from the list (nearest the last fix first). */
async function placeAtHotSpot(form: ReturnType<Page['locator']>, spotName: string) {
  await form.getByTestId('place-by-hand').waitFor();
  const select = form.getByLabel(zh.patrol.position.hotSpot);
  const options = await select.locator('option').evaluateAll((elements) => elements.map((o) => ({ text: o.textContent ?? '', value: o.getAttribute('value') ?? '' })));
  const value = options.find((o) => o.text.startsWith(spotName))?.value;
  expect(value, `a hot spot named ${spotName}`).toBeDefined();
  await select.selectOption(value!);
  await form.getByRole('button', { name: zh.patrol.position.useHotSpot, exact: true }).click();
  await form.locator('[data-testid="position-status"][data-placed-by="hot_spot"]').waitFor();
}

describe('a busy night, each role on its own screen', () => {
  let phone: Page;
  let phoneContext: BrowserContext;
  let takenCaseId: string;

  it('patrol: with no GPS under a bridge, the member places the report at a hot spot and takes the case (我来处置)', async () => {
    // Location denied: the phone has no fix at all.
    phoneContext = await newRoleContext(system.browser, 'patrol', { permissions: [], geolocation: undefined });
    phone = watchPage(await phoneContext.newPage(), 'patrol');
    await signIn(phone, system.url, 'patrol', { teamId: 'team-01' });
    const form = await openReport(phone);
    await form.locator('[data-testid="position-status"][data-state="failed"]').waitFor({ timeout: 20_000 });
    await screenshot(phone, 'walkthrough-patrol-no-fix');
    // 八一广场: 300 m from every place of the simulated night, so the report is a case of its own.
    await placeAtHotSpot(form, '八一广场');
    // The hot spot gave the place its name and type; the member says who is there and takes it.
    expect(await form.locator('.patrol-place[aria-pressed="true"]').count()).toBe(1);
    expect(await form.getByLabel(zh.patrol.report.placeName, { exact: true }).inputValue()).toBe('八一广场');
    await form.getByRole('button', { name: zh.ageGroup.elderly, exact: true }).click();
    await form.getByRole('button', { name: zh.condition.ill, exact: true }).click();
    await form.getByRole('button', { name: zh.patrol.report.take, exact: true }).click();
    await screenshot(phone, 'walkthrough-patrol-placed-by-hand');
    expect(await accessibilityViolations(phone), 'walkthrough-patrol-placed-by-hand').toEqual([]);
    await form.getByRole('button', { name: zh.patrol.report.submit, exact: true }).click();
    await phone.getByRole('dialog').waitFor({ state: 'detached' });

    const taken = phone.locator('[data-testid="report-taken"][data-ok="true"]');
    await taken.first().waitFor({ timeout: 30_000 });
    takenCaseId = (await phone.locator('[data-testid="outbox-sent"]').first().getAttribute('data-case-id'))!;
    const c = await detailOf(takenCaseId);
    expect(c).toMatchObject({ status: 'acknowledged', assignedTeamId: 'team-01' });
    const mine = c.sightings.find((s: { note?: string }) => s.note?.includes('手动填写'));
    expect(mine).toMatchObject({ place: { name: '八一广场' }, location: { accuracyM: 50 } });
  }, 120_000);

  it('patrol: the case card opens with who is there, the deadline and a navigation link in GCJ-02', async () => {
    const card = phone.locator(`[data-testid="team-case"][data-case-id="${takenCaseId}"]`);
    await card.waitFor({ timeout: 20_000 });
    await card.getByRole('button', { name: new RegExp(zh.patrol.sheet.open.replace('{name}', '')) }).click();
    const sheet = phone.getByTestId('case-sheet');
    await sheet.waitFor();
    await expect.poll(() => sheet.getByTestId('sheet-people').innerText(), { timeout: 10_000 }).toContain(zh.ageGroup.elderly);
    expect(await sheet.getByTestId('sheet-people').innerText()).toContain(zh.condition.ill);
    const amap = await sheet.getByTestId('navigate-amap').getAttribute('href');
    expect(amap).toMatch(/^https:\/\/uri\.amap\.com\/marker\?position=115\.\d{6},28\.\d{6}&.*coordinate=gaode/);
    expect(await sheet.getByTestId('navigate-geo').getAttribute('href')).toMatch(/^geo:28\.\d{6},115\.\d{6}/);
    await screenshot(phone, 'walkthrough-patrol-case-sheet');
    expect(await accessibilityViolations(phone), 'walkthrough-patrol-case-sheet').toEqual([]);
    await phone.getByRole('dialog').getByRole('button', { name: zh.app.close }).click();
  }, 60_000);

  it('patrol: an arrival 3 km from the case is asked about, and the timeline keeps the distance', async () => {
    const c = await detailOf(takenCaseId);
    await phoneContext.grantPermissions(['geolocation']);
    await phoneContext.setGeolocation({ latitude: c.location.lat + 3_000 / 111_320, longitude: c.location.lon, accuracy: 10 });
    const card = phone.locator(`[data-testid="team-case"][data-case-id="${takenCaseId}"]`);
    await card.getByRole('button', { name: zh.action.arrive, exact: true }).click();
    const dialog = phone.getByRole('dialog');
    await dialog.locator('[data-testid="position-status"][data-state="fixed"]').waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: zh.patrol.arrive.confirm, exact: true }).click();
    await dialog.getByTestId('arrive-far').waitFor();
    await screenshot(phone, 'walkthrough-patrol-arrive-far');
    expect(await accessibilityViolations(phone), 'walkthrough-patrol-arrive-far').toEqual([]);
    // Nothing was sent on the first press.
    expect((await detailOf(takenCaseId)).status).not.toBe('on_scene');
    await dialog.getByRole('button', { name: zh.patrol.arrive.confirmFar, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const arrived = await eventually(async () => {
      const detail = await detailOf(takenCaseId);
      return detail.timeline.find((e: { type: string }) => e.type === 'arrived');
    }, 20_000, 'the arrival');
    expect(arrived.far).toBe(true);
    expect(arrived.distanceM).toBeGreaterThan(2_900);
  }, 90_000);

  it('patrol: the "no signal" banner of the case list clears once the signal is back', async () => {
    // The phone kept the page at the start of the shift, so it opens without signal.
    await appShellKept(phone);
    await phoneContext.setOffline(true);
    await phone.reload();
    const cached = phone.getByText(/无信号：显示 .* 的列表/);
    await cached.waitFor({ timeout: 30_000 });
    await phoneContext.setOffline(false);
    await phone.evaluate("window.dispatchEvent(new Event('online'))");
    await cached.waitFor({ state: 'detached', timeout: 30_000 });
  }, 90_000);

  it('patrol: a report left unsent at sign-out is warned about, kept for its member, and sent when they sign in again', async () => {
    await phoneContext.setOffline(true);
    const place = `青山湖排水涵洞-${runId}`;
    const form = await openReport(phone);
    await form.getByRole('button', { name: zh.place.culvert, exact: true }).click();
    await form.getByLabel(zh.patrol.report.placeName, { exact: true }).fill(place);
    await form.locator('[data-testid="position-status"][data-state="fixed"]').waitFor({ timeout: 20_000 });
    await form.getByRole('button', { name: zh.patrol.report.submit, exact: true }).click();
    await phone.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => pending(phone)).toBe('1');

    // What the phone keeps of cases and positions for no signal is there while the member is signed in...
    const kept = () => phone.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('srp.patrol.'))") as Promise<string[]>;
    expect(await kept()).toContain('srp.patrol.lastFix');
    await phone.getByRole('button', { name: zh.app.signOut, exact: true }).click();
    const warning = phone.getByTestId('sign-out-check');
    await warning.waitFor();
    await screenshot(phone, 'walkthrough-patrol-sign-out-warning');
    expect(await accessibilityViolations(phone), 'walkthrough-patrol-sign-out-warning').toEqual([]);
    await phone.getByRole('button', { name: zh.patrol.signOut.signOutAnyway, exact: true }).click();
    await phone.waitForURL(/\/sign-in/);
    // ...and gone once they sign out (the unsent report stays for them, below).
    expect(await kept()).toEqual([]);

    // Another member signs in on the same phone, with signal: the report is not theirs to see or send, and they are
    // told it is there.
    await phoneContext.setOffline(false);
    await signIn(phone, system.url, 'patrol', { teamId: 'team-02' });
    await phone.getByTestId('others-unsent').waitFor();
    expect(await pending(phone)).toBe('0');
    await screenshot(phone, 'walkthrough-patrol-another-member');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await api().allCases(system.coordinatorToken) as { placeName?: string }[]).filter((c) => c.placeName === place)).toHaveLength(0);
    await phone.getByRole('button', { name: zh.app.signOut, exact: true }).click();
    await phone.waitForURL(/\/sign-in/);

    // Its member signs in again with signal: it goes.
    await signIn(phone, system.url, 'patrol', { teamId: 'team-01' });
    await expect.poll(() => pending(phone), { timeout: 30_000 }).toBe('0');
    await expect.poll(async () => (await api().allCases(system.coordinatorToken) as { placeName?: string }[])
      .filter((c) => c.placeName === place).length, { timeout: 20_000 }).toBe(1);
    await phoneContext.close();
  }, 150_000);

  it('station: 派单 sends the team alerted, and an intake registers who came in', async () => {
    const context = await newRoleContext(system.browser, 'station');
    const desk = watchPage(await context.newPage(), 'station');
    // A case escorted to the station by a team, for the desk to take in.
    const coordinator = system.coordinatorToken;
    const created = await api().call('POST', '/v1/sightings', {
      token: coordinator,
      body: sightingBody({ place: { type: 'underpass', name: `老福山地下通道-${runId}` }, people: [{ ageGroup: 'elderly', sex: 'female', conditions: ['ill'] }, { ageGroup: 'child' }] }),
    });
    const escortedId = created.body.caseId as string;
    const alerted = await eventually(async () => {
      const c = await detailOf(escortedId);
      return c.status === 'alerted' ? c : undefined;
    }, 20_000, 'the alert');
    const team = await api().token({ role: 'patrol', sub: 'walk.team', teamId: alerted.alert.target.id });
    for (const body of [{ type: 'acknowledge' }, { type: 'arrive', location: alerted.location }, { type: 'resolve', outcome: 'escorted_to_station' }]) {
      expect((await api().call('POST', `/v1/cases/${escortedId}/actions`, { token: team, body })).status).toBe(200);
    }

    await signIn(desk, system.url, 'station');
    const incoming = desk.locator('[data-testid="incoming-case"][data-status="alerted"]').first();
    await incoming.waitFor({ timeout: 30_000 });
    const dispatchedId = (await incoming.getAttribute('data-case-id'))!;
    await screenshot(desk, 'walkthrough-station-desk');
    await incoming.getByRole('button', { name: zh.action.dispatch, exact: true }).click();
    const dialog = desk.getByRole('dialog');
    await expect.poll(() => dialog.locator('input[name="teamId"]:checked').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(desk, 'walkthrough-station-dispatch');
    expect(await accessibilityViolations(desk), 'walkthrough-station-dispatch').toEqual([]);
    await dialog.getByRole('button', { name: zh.action.dispatch, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await detailOf(dispatchedId)).assignedTeamId, { timeout: 15_000 }).toMatch(/^team-/);

    const arriving = desk.locator(`[data-testid="arriving-case"][data-case-id="${escortedId}"]`);
    await arriving.waitFor({ timeout: 30_000 });
    await arriving.getByRole('button', { name: zh.action.intake, exact: true }).click();
    const intake = desk.getByTestId('intake-dialog');
    // Filled in from the reports: two people, the elderly woman and the child.
    await expect.poll(() => intake.getByTestId('intake-person').count(), { timeout: 10_000 }).toBe(2);
    await intake.getByTestId('intake-person').nth(1).getByLabel(zh.station.intake.sex).selectOption('male');
    await screenshot(desk, 'walkthrough-station-intake');
    expect(await accessibilityViolations(desk), 'walkthrough-station-intake').toEqual([]);
    await intake.getByRole('button', { name: zh.action.intake, exact: true }).click();
    await expect.poll(async () => (await detailOf(escortedId)).intakePeople, { timeout: 15_000 }).toEqual([
      { ageGroup: 'elderly', sex: 'female', conditions: ['ill'] },
      { ageGroup: 'child', sex: 'male', conditions: [] },
    ]);
    await context.close();
  }, 150_000);

  it('coordinator: the wall in wall mode, read across a room', async () => {
    const context = await newRoleContext(system.browser, 'coordinator');
    const wall = watchPage(await context.newPage(), 'coordinator');
    await signIn(wall, system.url, 'coordinator');
    await wall.locator('[data-testid="case-row"]').first().waitFor({ timeout: 30_000 });
    expect(await wall.getByTestId('coordinator').getAttribute('data-wall')).toBe('on');
    // The campaign so far: tonight's cases and the past nights', more than any screen holds.
    await wall.getByLabel(zh.coordinator.filters.window).selectOption('campaign');
    await expect.poll(() => wall.locator('[data-testid="case-row"]').count(), { timeout: 15_000 }).toBeGreaterThan(30);
    await wall.waitForTimeout(1_500);
    await screenshot(wall, 'walkthrough-coordinator-wall');
    const rootPx = await wall.evaluate<number>('parseFloat(getComputedStyle(document.documentElement).fontSize)');
    expect(rootPx).toBeGreaterThanOrEqual(20);
    // Rows the eye can read without scrolling: the list stands at full height beside the map.
    const box = (await wall.locator('.coordinator-table-wrap').boundingBox())!;
    const rows = await wall.locator('[data-testid="case-row"]').evaluateAll((elements) => elements.map((row) => {
      const r = row.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    }));
    const visibleRows = rows.filter((r) => r.top >= box.y && r.bottom <= box.y + box.height).length;
    expect(visibleRows).toBeGreaterThanOrEqual(18);
    // Where cases would overlap, a cluster says how many.
    await expect.poll(() => wall.locator('[data-testid="case-map"] [data-case-ids]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // The city's districts, from the outline its configuration names (config/cities/nanchang.json), labelled on the map.
    await expect.poll(() => wall.locator('.case-map-district-label').allInnerTexts(), { timeout: 10_000 }).toEqual(expect.arrayContaining(['东湖区', '青山湖区']));
    // The feed, newest first by when it happened.
    const times = await wall.locator('[data-testid="feed-item"] time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')!));
    expect(times.length).toBeGreaterThan(3);
    expect(times).toEqual([...times].sort((a, b) => Date.parse(b) - Date.parse(a)));
    // No ids where names belong: the header, the team column.
    expect(await wall.getByTestId('signed-in-as').innerText()).not.toMatch(/demo-|team-|station-/);
    expect((await wall.locator('.coordinator-team').allInnerTexts()).join(' ')).not.toMatch(/team-\d/);

    // A case a drone kept seeing: its timeline groups the frames.
    const listed = new Set(await wall.locator('[data-testid="case-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id'))));
    const droneCase = (await api().allCases(system.coordinatorToken) as { caseId: string; detectionCount?: number }[])
      .filter((c) => listed.has(c.caseId))
      .sort((a, b) => (b.detectionCount ?? 0) - (a.detectionCount ?? 0))[0]!;
    expect(droneCase.detectionCount).toBeGreaterThan(3);
    await wall.locator(`[data-testid="case-row"][data-case-id="${droneCase.caseId}"] button.coordinator-open`).click();
    const timeline = wall.locator('dialog[open] [data-testid="case-timeline"]');
    await timeline.waitFor({ timeout: 15_000 });
    const detail = await detailOf(droneCase.caseId);
    const lines = await timeline.getByTestId('timeline-line').count();
    // The frames are grouped: the server keeps one entry per device and minute, the page one line per run of them.
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'detection').length).toBeLessThan(droneCase.detectionCount!);
    expect(lines).toBeLessThanOrEqual(detail.timeline.length);
    expect(await timeline.locator('[data-type="detections"]').count()).toBeGreaterThan(0);
    expect(await timeline.innerText()).not.toMatch(/\bteam-\d|station-nc|demo-/);
    await screenshot(wall, 'walkthrough-coordinator-case');
    expect(await accessibilityViolations(wall), 'walkthrough-coordinator-case').toEqual([]);
    await context.close();
  }, 120_000);

  it("coordinator: a place a drone's radiometric frame found shows the frame's crop, the person boxed", async () => {
    const context = await newRoleContext(system.browser, 'coordinator');
    const wall = watchPage(await context.newPage(), 'coordinator');
    await signIn(wall, system.url, 'coordinator');
    await wall.locator('[data-testid="case-row"]').first().waitFor({ timeout: 30_000 });
    const listed = new Set(await wall.locator('[data-testid="case-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id'))));
    // The simulator sent a quarter of the drones' passes as frames: find a listed case one of them landed in.
    let framed: string | undefined;
    for (const c of (await api().allCases(system.coordinatorToken) as { caseId: string; detectionCount?: number }[]).filter((x) => listed.has(x.caseId) && (x.detectionCount ?? 0) > 0)) {
      if ((await detailOf(c.caseId)).detections.some((d: { cropUrl?: string }) => d.cropUrl)) { framed = c.caseId; break; }
    }
    expect(framed, 'a case with an analysed frame').toBeDefined();
    await wall.locator(`[data-testid="case-row"][data-case-id="${framed}"] button.coordinator-open`).click();
    const crop = wall.locator('dialog[open] .thermal-crops img').first();
    await crop.waitFor({ timeout: 15_000 });
    await expect.poll(() => crop.evaluate((img) => { const image = img as unknown as { complete: boolean; naturalWidth: number }; return image.complete ? image.naturalWidth : 0; }), { timeout: 10_000 }).toBeGreaterThan(100);
    expect(await crop.getAttribute('alt')).toContain('热成像');
    await crop.scrollIntoViewIfNeeded();
    await screenshot(wall, 'walkthrough-coordinator-thermal-crop');
    expect(await accessibilityViolations(wall), 'walkthrough-coordinator-thermal-crop').toEqual([]);
    await context.close();
  }, 120_000);

  it('coordinator: a report far off its place is offered as a merge in the case, and 合并为一案 makes one case', async () => {
    const coordinator = system.coordinatorToken;
    // Two fixes 60 m apart, each stated to 3 m: too far to be one place by their accuracy, near enough to ask.
    const here = { lat: 28.6402, lon: 115.9101, accuracyM: 3 };
    const first = await api().call('POST', '/v1/sightings', {
      token: coordinator, body: sightingBody({ location: here, place: { type: 'bridge', name: `抚河桥-${runId}` } }),
    });
    const second = await api().call('POST', '/v1/sightings', {
      token: coordinator, body: sightingBody({ location: { ...here, lat: here.lat + 60 / 111_320 }, place: { type: 'bridge', name: `抚河桥北-${runId}` } }),
    });
    expect(second.body.caseCreated).toBe(true);
    expect((await detailOf(second.body.caseId)).mergeCandidates).toEqual([first.body.caseId]);

    const context = await newRoleContext(system.browser, 'coordinator');
    const wall = watchPage(await context.newPage(), 'coordinator');
    await signIn(wall, system.url, 'coordinator');
    const row = wall.locator(`[data-testid="case-row"][data-case-id="${second.body.caseId}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.locator('button.coordinator-open').click();
    const offer = wall.locator('dialog[open] [data-testid="merge-offer"]');
    await offer.waitFor({ timeout: 15_000 });
    expect(await offer.innerText()).toContain(`抚河桥-${runId}`);
    expect(await accessibilityViolations(wall), 'walkthrough-coordinator-merge').toEqual([]);
    await offer.getByRole('button', { name: zh.station.merge.button, exact: true }).click();
    await offer.getByRole('status').waitFor({ timeout: 15_000 });
    await screenshot(wall, 'walkthrough-coordinator-merge');
    // One case now: the other is closed into it, and nothing of either is lost.
    const [a, b] = [await detailOf(first.body.caseId), await detailOf(second.body.caseId)];
    const [survivor, merged] = a.status === 'closed' ? [b, a] : [a, b];
    expect(merged.mergedInto).toBe(survivor.caseId);
    expect(survivor.sightingCount).toBe(2);
    await context.close();
  }, 120_000);
});
