import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nightStart, shanghaiIso } from '#shared/domain/shanghai-clock';
import { MESSAGES } from '../../web/src/app/messages';
import { DEMO_HOT_SPOTS } from '#local/runtime/demo';
import { nightOf, nightWindow } from '#shared/domain/campaign';
import { accessibilityViolations, type BrowserSystem, newRoleContext, screenshot, signIn, startBrowserSystem, watchPage } from '../support/browser';

/**
 * The campaign on the pages: a patrol phone on shift keeps its positions without signal and sends them when the
 * signal is back (a 5-minute stop at a hot spot becomes a check of it), and the wall shows tonight's coverage, the
 * teams where they are and the cold-wave warning in force, as every page does.
 */
let system: BrowserSystem;
const zh = MESSAGES['zh-CN'];
const CAP = readFileSync(new URL('../fixtures/cap/cold-wave-yellow.xml', import.meta.url), 'utf8');

beforeAll(async () => {
  system = await startBrowserSystem();
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

describe('the campaign on the pages', () => {
  it('patrol: on shift without signal, the phone keeps its positions and sends them later; the stop checks the hot spot', async () => {
    const bridge = DEMO_HOT_SPOTS.find((h) => h.hotSpotId === 'bayi-bridge')!;
    // Last night at 21:00, on the phone's clock: what it sends is in the past and inside last night's hours.
    const night = nightOf(Date.now() - 24 * 3_600_000);
    const t0 = nightWindow(night).start + 3 * 3_600_000;
    const context = await newRoleContext(system.browser, 'patrol', { geolocation: { latitude: bridge.location.lat + 0.0015, longitude: bridge.location.lon, accuracy: 10 } });
    const phone = watchPage(await context.newPage(), 'patrol');
    await phone.clock.install({ time: t0 - 60_000 });
    await signIn(phone, system.url, 'patrol', { teamId: 'team-01' });
    const panel = phone.getByTestId('shift-panel');
    await panel.waitFor();
    await phone.getByTestId('shift-toggle').click();
    await expect.poll(() => panel.getAttribute('data-on')).toBe('true');
    // The first fix goes at once.
    await expect.poll(async () => (await system.api.call('GET', '/v1/teams', { token: system.coordinatorToken })).body.items
      .find((t: { teamId: string }) => t.teamId === 'team-01').lastPosition?.at, { timeout: 20_000 }).toBeDefined();

    // Under the bridge, no signal: a fix every 2 minutes for 6 minutes, each kept on the phone.
    await context.setOffline(true);
    for (let i = 0; i < 4; i += 1) {
      await phone.clock.fastForward(125_000);
      await context.setGeolocation({ latitude: bridge.location.lat + (i % 2 ? 0.0001 : -0.0001), longitude: bridge.location.lon + i * 0.00005, accuracy: 12 });
      await expect.poll(() => phone.getByTestId('positions-queued').textContent(), { timeout: 15_000 }).toContain(String(i + 1));
    }
    // Checked in too, while still without signal: kept as well.
    await phone.getByTestId('check-in').locator(`li[data-hot-spot-id="${bridge.hotSpotId}"]`).getByRole('button', { name: zh.patrol.checkIn.nobody }).click();
    await phone.getByTestId('check-in-done').waitFor();
    await screenshot(phone, 'campaign-patrol-offline-shift');
    expect(await accessibilityViolations(phone), 'campaign-patrol-offline-shift').toEqual([]);

    // The signal comes back: everything goes, once.
    await context.setOffline(false);
    await phone.evaluate("window.dispatchEvent(new Event('online'))");
    await phone.getByTestId('positions-queued').waitFor({ state: 'detached', timeout: 30_000 });
    const coverage = async () => (await system.api.call('GET', `/v1/coverage?night=${night}`, { token: system.coordinatorToken })).body.items
      .find((i: { hotSpotId: string }) => i.hotSpotId === bridge.hotSpotId);
    // The 6-minute stop and the check-in during it are one check, by team-01.
    await expect.poll(coverage, { timeout: 20_000 }).toMatchObject({ checks: 1, lastTeamId: 'team-01' });

    await phone.getByTestId('shift-toggle').click();
    await expect.poll(() => panel.getAttribute('data-on')).toBe('false');
    await context.close();
  }, 180_000);

  it('coordinator: the wall colours the hot spots by tonight\'s coverage, lists the uncovered, and shows the cold-wave warning', async () => {
    const now = Date.now();
    // In force now (the banner) and over the night the wall shows (at 13:00 that is the one that began yesterday at
    // 18:00): from before that night began.
    const cap = CAP.replace(/<identifier>[^<]*</, `<identifier>NCMET-wall-${now}<`)
      .replace(/<onset>[^<]*</, `<onset>${shanghaiIso(nightStart(now) - 600_000)}<`).replace(/<expires>[^<]*</, `<expires>${shanghaiIso(now + 6 * 3_600_000)}<`);
    const posted = await system.api.call('POST', '/v1/warnings', {
      token: system.coordinatorToken, rawBody: cap, headers: { 'content-type': 'application/cap+xml' },
    });
    expect(posted.status).toBe(201);

    const context = await newRoleContext(system.browser, 'coordinator');
    const wall = watchPage(await context.newPage(), 'coordinator');
    await signIn(wall, system.url, 'coordinator');
    const banner = wall.getByTestId('warning-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('寒潮黄色预警');
    const summary = wall.getByTestId('coverage-summary');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toContain(zh.coordinator.coverage.coldWave);
    expect(await wall.getByTestId('uncovered-hot-spots').locator('li').count()).toBeGreaterThan(0);
    await expect.poll(() => wall.locator('[data-hot-spot-id][data-coverage]').count(), { timeout: 20_000 }).toBe(DEMO_HOT_SPOTS.length);
    expect(await wall.locator('[data-coverage="covered"]').count()).toBe(0);
    await screenshot(wall, 'campaign-wall-coverage');
    expect(await accessibilityViolations(wall), 'campaign-wall-coverage').toEqual([]);

    // The night's report, from the wall: a PDF to hand up.
    const [download] = await Promise.all([wall.waitForEvent('download'), wall.getByTestId('daily-report-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(/^daily-report-\d{4}-\d{2}-\d{2}\.pdf$/);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();

    // The station desk and the phone show the same warning.
    const desk = watchPage(await (await newRoleContext(system.browser, 'station')).newPage(), 'station');
    await signIn(desk, system.url, 'station');
    await desk.getByTestId('warning-banner').waitFor({ timeout: 30_000 });
    // The cold wave raised the reserve: the store room counted this evening falls short; a new count makes it good.
    const supplies = desk.getByTestId('supplies');
    await supplies.waitFor({ timeout: 30_000 });
    await expect.poll(() => supplies.getAttribute('data-short'), { timeout: 70_000 }).not.toBe('0');
    expect(await supplies.textContent()).toContain(zh.station.supplies.coldWave);
    await screenshot(desk, 'campaign-station-supplies');
    expect(await accessibilityViolations(desk), 'campaign-station-supplies').toEqual([]);
    await desk.getByTestId('count-supplies').click();
    for (const kind of Object.values(zh.station.supplies.kinds)) await supplies.getByLabel(kind).fill('500');
    await supplies.getByRole('button', { name: zh.station.supplies.save }).click();
    await expect.poll(() => supplies.getAttribute('data-short')).toBe('0');
    await desk.context().close();
  }, 180_000);

  it('station: the desk lists the people in the station with care level, next check and family search, and prints a notice', async () => {
    const station = await system.api.token({ role: 'station', sub: 'browser-desk', stationId: 'station-nc' });
    const walkIn = await system.api.call('POST', '/v1/people', {
      token: station, body: { identified: false, ageGroup: 'elderly', estimatedAge: 77, sex: 'male', dialect: '南昌话', features: '身高约160厘米，偏瘦', clothing: '灰色棉袄', conditions: ['disabled'] },
    });
    expect(walkIn.status).toBe(201);
    const desk = watchPage(await (await newRoleContext(system.browser, 'station')).newPage(), 'station');
    await signIn(desk, system.url, 'station');
    const row = desk.getByTestId('people-in-station').locator(`li[data-person="${walkIn.body.personId}"]`);
    await row.waitFor({ timeout: 40_000 });
    expect(await row.getAttribute('data-search')).toBe('due');
    const text = await row.textContent();
    expect(text).toContain(zh.station.files.care.special);
    expect(text).toContain(walkIn.body.number);
    await screenshot(desk, 'people-in-station');
    expect(await accessibilityViolations(desk), 'people-in-station').toEqual([]);

    // The notice, printed from the desk: a PDF.
    const [download] = await Promise.all([desk.waitForEvent('download'), row.getByTestId('print-notice').click()]);
    expect(download.suggestedFilename()).toBe(`family-search-${walkIn.body.number}.pdf`);
    expect((await readFile(await download.path())).subarray(0, 5).toString()).toBe('%PDF-');

    // A check recorded: the next one is due later; the notice published: the row says so.
    const before = (await system.api.call('GET', `/v1/people/${walkIn.body.personId}`, { token: station })).body.stay.nextCheckAt;
    await row.getByRole('button', { name: zh.station.files.check }).click();
    await expect.poll(async () => (await system.api.call('GET', `/v1/people/${walkIn.body.personId}`, { token: station })).body.stay.checks.length).toBe(1);
    expect(Date.parse((await system.api.call('GET', `/v1/people/${walkIn.body.personId}`, { token: station })).body.stay.nextCheckAt)).toBeGreaterThan(Date.parse(before));
    await row.getByRole('button', { name: zh.station.files.publish }).click();
    await expect.poll(() => row.getAttribute('data-search'), { timeout: 20_000 }).toBe('published');

    // The file, opened from the desk: the DNA request recorded, the grade set with a reason.
    await row.getByRole('button', { name: walkIn.body.number }).click();
    const fileDialog = desk.getByTestId('person-file');
    await fileDialog.waitFor({ timeout: 20_000 });
    expect(await fileDialog.textContent()).toContain('灰色棉袄');
    await screenshot(desk, 'person-file');
    expect(await accessibilityViolations(desk), 'person-file').toEqual([]);
    await fileDialog.getByRole('button', { name: zh.station.files.file.requestDna }).click();
    await expect.poll(async () => (await system.api.call('GET', `/v1/people/${walkIn.body.personId}`, { token: station })).body.familySearch.dna.requestedAt, { timeout: 20_000 }).toBeDefined();
    const gradeForm = fileDialog.getByTestId('set-grade');
    await gradeForm.getByRole('combobox').selectOption('red');
    await gradeForm.getByRole('textbox').fill('独居老人，行动不便');
    await gradeForm.getByRole('button').click();
    await expect.poll(async () => (await system.api.call('GET', `/v1/people/${walkIn.body.personId}`, { token: station })).body.grade, { timeout: 20_000 })
      .toMatchObject({ level: 'red', set: 'station' });
    await desk.getByRole('dialog').getByRole('button', { name: zh.app.close }).click();

    // 周德厚, who declined help twice, is due a follow-up: the desk records what the team found.
    const followUp = desk.getByTestId('follow-ups').locator('li', { hasText: '周德厚' });
    await followUp.waitFor({ timeout: 20_000 });
    await followUp.getByRole('combobox').selectOption('seen_needs_help');
    await followUp.getByRole('button', { name: zh.station.files.record }).click();
    await expect.poll(async () => (await system.api.call('GET', '/v1/people/per-DEMOZHOUDEHOU00000000ZD7H3', { token: station })).body.followUps.length, { timeout: 20_000 }).toBe(2);

    // Tonight's report under 八一大桥: the old man who declined help there twice is offered as possibly known; the
    // desk confirms it, and the case shows his file (grade, dialect) from then on.
    const bridge = desk.locator('.station-case-open', { hasText: '八一大桥北引桥下' }).first();
    await bridge.click();
    const known = desk.getByRole('dialog').getByTestId('known-people');
    await known.getByTestId('possibly-known').waitFor({ timeout: 20_000 });
    expect(await known.textContent()).toContain('周德厚');
    await screenshot(desk, 'possibly-known');
    expect(await accessibilityViolations(desk), 'possibly-known').toEqual([]);
    await known.getByRole('button', { name: zh.knownPeople.link }).click();
    await expect.poll(() => known.getByTestId('possibly-known').count(), { timeout: 20_000 }).toBe(0);
    expect(await known.locator('h4').allTextContents()).toEqual([zh.knownPeople.title]);
    expect(await known.textContent()).toContain('南昌话');
    await desk.context().close();
  }, 120_000);

  it('coordinator: registers a hot spot by hand, imports a GeoJSON file, and removes one, in the register', async () => {
    const context = await newRoleContext(system.browser, 'coordinator');
    const wall = watchPage(await context.newPage(), 'coordinator');
    await signIn(wall, system.url, 'coordinator');
    await wall.getByTestId('manage-hot-spots').click();
    const dialog = wall.getByTestId('hot-spots-dialog');
    const table = dialog.getByTestId('hot-spots-table');
    await table.waitFor();
    const words = zh.coordinator.hotSpots;
    const rows = () => table.locator('tbody tr').count();
    const before = await rows();

    await dialog.getByLabel(words.name, { exact: true }).fill('象湖隧道口');
    await dialog.getByLabel(words.lat).fill('28.6201');
    await dialog.getByLabel(words.lon).fill('115.8902');
    await dialog.getByLabel(words.priority).selectOption('high');
    await dialog.getByRole('button', { name: words.add }).click();
    await expect.poll(rows).toBe(before + 1);

    const collection = {
      type: 'FeatureCollection',
      features: [1, 2].map((n) => ({
        type: 'Feature', id: `import-${n}`, geometry: { type: 'Point', coordinates: [115.9 + n / 100, 28.6] },
        properties: { name: `导入点位${n}`, type: 'culvert', district: '青云谱区' },
      })),
    };
    await dialog.getByTestId('hot-spots-import').setInputFiles({ name: 'spots.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(collection)) });
    await expect.poll(() => dialog.getByTestId('hot-spots-message').textContent()).toContain('新增 2 处');
    await expect.poll(rows).toBe(before + 3);
    await screenshot(wall, 'campaign-hot-spots-register');
    expect(await accessibilityViolations(wall), 'campaign-hot-spots-register').toEqual([]);

    await dialog.getByRole('button', { name: `删除 导入点位1` }).click();
    await expect.poll(rows).toBe(before + 2);
    const listed = (await system.api.call('GET', '/v1/hot-spots', { token: system.coordinatorToken })).body.items.map((h: { name: string }) => h.name);
    expect(listed).toContain('象湖隧道口');
    expect(listed).toContain('导入点位2');
    expect(listed).not.toContain('导入点位1');
    await context.close();
  }, 120_000);
});
