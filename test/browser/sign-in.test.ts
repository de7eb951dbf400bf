import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../web/src/app/messages';
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
