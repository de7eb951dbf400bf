import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../web/src/app/messages';
import { adminWords } from '../../web/src/pages/admin/words';
import {
  accessibilityViolations, type BrowserSystem, newRoleContext, type PageRole, screenshot, signIn, startBrowserSystem, watchPage,
} from '../support/browser';

/** Each role signs in through the demo picker, lands on its own page, in Chinese first, with English a switch away. */
let system: BrowserSystem;

beforeAll(async () => {
  system = await startBrowserSystem();
}, 300_000);

afterAll(async () => {
  await system?.stop();
});

const zh = MESSAGES['zh-CN'];
const en = MESSAGES.en;

/** Each page with what shows it has loaded, so its screenshot is of the page and not of a spinner. */
const PAGES: { role: PageRole; shot: string; loaded: string }[] = [
  { role: 'coordinator', shot: 'coordinator-wall', loaded: '[data-testid="case-row"]' },
  { role: 'station', shot: 'station-desk', loaded: '[data-testid="incoming-case"]' },
  { role: 'patrol', shot: 'patrol-phone', loaded: '[data-testid="outbox"]' },
];

async function openAs(role: PageRole): Promise<Page> {
  const context = await newRoleContext(system.browser, role);
  const page = watchPage(await context.newPage(), role);
  await signIn(page, system.url, role);
  return page;
}

const htmlLang = (page: Page) => page.evaluate<string>('document.documentElement.lang');


describe('signing in', () => {
  it('shows the picker of demo members, in Chinese', async () => {
    const context = await newRoleContext(system.browser, 'station');
    const page = watchPage(await context.newPage(), 'sign-in');
    await page.goto(`${system.url}/sign-in`);
    await page.locator('.member-list button[data-role]').first().waitFor();
    expect(await htmlLang(page)).toBe('zh-CN');
    for (const role of ['coordinator', 'station', 'patrol'] as const) {
      await expect.poll(() => page.locator(`.member-list button[data-role="${role}"]`).count()).toBeGreaterThan(0);
      await expect.poll(() => page.locator(`.member-list button[data-role="${role}"]`).first().innerText()).toContain(zh.roles[role]);
    }
    await screenshot(page, 'sign-in');
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  }, 120_000);

  for (const { role, shot, loaded } of PAGES) {
    it(`lands the ${role} on /${role}, in Chinese, and switches to English and back`, async () => {
      const page = await openAs(role);
      expect(new URL(page.url()).pathname).toBe(`/${role}`);
      expect(await htmlLang(page)).toBe('zh-CN');
      const header = page.getByTestId('signed-in-as');
      await expect.poll(() => header.innerText()).toContain(zh.roles[role]);

      await page.locator(loaded).first().waitFor({ timeout: 30_000 });
      await screenshot(page, shot);
      expect(await accessibilityViolations(page)).toEqual([]);

      await page.getByRole('button', { name: zh.app.language, exact: true }).click();
      await expect.poll(() => htmlLang(page)).toBe('en');
      await expect.poll(() => header.innerText()).toContain(en.roles[role]);
      expect(await page.getByRole('button', { name: en.app.signOut, exact: true }).count()).toBe(1);
      // The page's own words change too, not only the header's: no Chinese left in the main region's headings.
      await expect.poll(() => page.locator('main h1, main h2').allInnerTexts().then((texts) => texts.filter((t) => /[\u4e00-\u9fff]/.test(t))))
        .toEqual([]);
      await screenshot(page, `${shot}-en`);

      await page.getByRole('button', { name: en.app.language, exact: true }).click();
      await expect.poll(() => htmlLang(page)).toBe('zh-CN');
      await expect.poll(() => header.innerText()).toContain(zh.roles[role]);
      await page.context().close();
    }, 120_000);
  }

  it('tells a patrol member who opens the coordinator wall that this role may not see it', async () => {
    const page = await openAs('patrol');
    await page.goto(`${system.url}/coordinator`);
    await expect.poll(() => page.getByRole('alert').allInnerTexts(), { timeout: 15_000 }).toContain(zh.signIn.forbidden);
    expect(await page.getByTestId('case-map').count()).toBe(0);
    await screenshot(page, 'patrol-forbidden');
    await page.context().close();
  }, 120_000);

  it('signs out back to the sign-in page', async () => {
    const page = await openAs('station');
    await page.getByRole('button', { name: zh.app.signOut, exact: true }).click();
    await page.waitForURL(/\/sign-in(\?|$)/);
    await page.locator('.member-list button[data-role]').first().waitFor();
    // Signed out means signed out: the page asked for again sends back to the picker.
    await page.goto(`${system.url}/station`);
    await page.waitForURL(/\/sign-in(\?|$)/);
    await page.context().close();
  }, 120_000);
});

describe('the admin page', () => {
  const run = Date.now().toString(36);
  const w = adminWords('zh-CN');

  it('lets an administrator onboard a station, a help point and a device, import teams, and read the audit trail', async () => {
    const page = await openAs('admin');
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.getByRole('heading', { name: w.heading }).waitFor();
    page.on('dialog', (dialog) => void dialog.accept());

    // A station, by hand.
    const stationForm = page.getByRole('form', { name: w.add.stations });
    await stationForm.getByLabel(w.fields.id).fill(`st-ui-${run}`);
    await stationForm.getByLabel(w.fields.name).fill('界面新增救助站');
    await stationForm.getByLabel(w.fields.lat).fill('28.70');
    await stationForm.getByLabel(w.fields.lon).fill('115.85');
    await stationForm.getByLabel(w.fields.districts).fill('西湖区;东湖区');
    await stationForm.getByRole('button', { name: w.save }).click();
    await page.getByRole('cell', { name: `st-ui-${run}` }).waitFor();

    // A help point: its key is shown once, in a panel that says so.
    await page.getByRole('button', { name: w.tabs.helpPoints }).click();
    const hpForm = page.getByRole('form', { name: w.add.helpPoints });
    await hpForm.getByLabel(w.fields.id).fill(`hp-ui-${run}`);
    await hpForm.getByLabel(w.fields.name).fill('界面新增求助点');
    await hpForm.getByLabel(w.fields.station).selectOption({ label: '界面新增救助站' });
    await hpForm.getByLabel(w.fields.lat).fill('28.701');
    await hpForm.getByLabel(w.fields.lon).fill('115.851');
    await hpForm.getByRole('button', { name: w.save }).click();
    const secret = page.getByTestId('secret');
    await expect.poll(() => secret.locator('code').first().innerText()).toMatch(/^hp_/);
    expect(await secret.getByRole('heading').innerText()).toBe(w.secretTitle);
    await secret.getByRole('button', { name: w.dismiss }).click();
    await secret.waitFor({ state: 'detached' });

    // A drone: its client credentials once; revoked, the list says so.
    await page.getByRole('button', { name: w.tabs.devices }).click();
    const deviceForm = page.getByRole('form', { name: w.add.devices });
    await deviceForm.getByLabel(w.fields.id).fill(`uav-ui-${run}`);
    await deviceForm.getByLabel(w.fields.name).fill('界面登记无人机');
    await deviceForm.getByLabel(w.fields.station).selectOption({ label: '界面新增救助站' });
    await deviceForm.getByRole('button', { name: w.save }).click();
    await expect.poll(() => page.locator(`[data-secret="${w.clientSecret}"]`).innerText()).toMatch(/^.{32,}$/);
    await page.getByTestId('secret').getByRole('button', { name: w.dismiss }).click();
    const deviceRow = page.getByRole('row').filter({ hasText: `uav-ui-${run}` });
    await deviceRow.getByRole('button', { name: w.revoke }).click();
    await expect.poll(() => deviceRow.innerText()).toContain(w.deviceStatus.revoked);

    // Teams from a CSV: a faulty file is refused row by row, a good one checked, then imported.
    await page.getByRole('button', { name: w.tabs.import, exact: true }).click();
    await page.getByLabel(w.fields.kind).selectOption('team');
    const csv = (stationId: string) => Buffer.from(`teamId,name,stationId,lat,lon,onDuty\nteam-ui-${run},界面导入巡查队,${stationId},28.70,115.85,是\n`);
    await page.getByLabel(w.file).setInputFiles({ name: 'teams.csv', mimeType: 'text/csv', buffer: csv('station-nowhere') });
    await page.getByRole('button', { name: w.check }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('row 2.stationId');
    await page.getByLabel(w.file).setInputFiles({ name: 'teams.csv', mimeType: 'text/csv', buffer: csv(`st-ui-${run}`) });
    await page.getByRole('button', { name: w.check }).click();
    await expect.poll(() => page.getByTestId('import-outcome').innerText()).toContain(w.dryRunNote.trim());
    await page.getByRole('button', { name: w.doImport, exact: true }).click();
    await expect.poll(() => page.getByTestId('import-outcome').innerText()).toContain(w.importDone);
    await page.getByRole('button', { name: w.tabs.teams }).click();
    await page.getByRole('cell', { name: `team-ui-${run}` }).waitFor();

    // Every change, with who made it.
    await page.getByRole('button', { name: w.tabs.changes }).click();
    const trail = page.getByRole('row').filter({ hasText: `uav-ui-${run}` });
    await expect.poll(() => trail.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining(w.changeWhat.key_revoked)]));
    expect((await page.getByRole('row').filter({ hasText: `team-ui-${run}` }).innerText())).toContain(w.changeWhat.imported);
    expect(await page.getByRole('row').filter({ hasText: `st-ui-${run}` }).first().innerText()).toContain('demo-admin');
    await screenshot(page, 'admin-directory');
    expect(await accessibilityViolations(page)).toEqual([]);
  }, 120_000);

  it('is not offered to a coordinator, and refused if opened by its address', async () => {
    const page = await openAs('coordinator');
    expect(await page.getByRole('link', { name: zh.pages.admin }).count()).toBe(0);
    await page.goto(`${system.url}/admin`);
    await expect.poll(() => page.getByRole('alert').innerText()).toBe(zh.signIn.forbidden);
    expect(await page.getByTestId('admin').count()).toBe(0);
  }, 60_000);
});
