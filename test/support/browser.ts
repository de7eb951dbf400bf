import { execFile } from 'node:child_process';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { LocalStack } from '#local/runtime/local-stack';
import { DEMO_MEMBERS } from '../../web/src/app/demo-members';
import { dynamoEndpoint } from './engines';
import { ApiClient, synthesizeForTest } from './local-stack';

/**
 * The pages in a real browser against the whole local system: the built pages (web/dist) served by an in-process
 * LocalStack, as `npm start` serves them, with the demo loaded, driven by Debian's Chromium through playwright-core
 * (scripts/ensure-chromium.sh installs it; playwright never downloads a browser here).
 */
const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'artifacts');
const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

export type PageRole = 'coordinator' | 'station' | 'patrol' | 'admin';

/** Near 八一大桥, Nanchang (WGS-84, as a phone reports it). */
export const NEAR_BAYI_BRIDGE = { latitude: 28.6829, longitude: 115.8579, accuracy: 10 };

/** Each role on its own screen: the coordinator's wall, the station's desk, a patrol member's phone at night. */
const ROLE_CONTEXTS: Record<PageRole, BrowserContextOptions> = {
  coordinator: { viewport: { width: 1920, height: 1080 } },
  station: { viewport: { width: 1440, height: 900 } },
  admin: { viewport: { width: 1440, height: 900 } },
  patrol: {
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
    permissions: ['geolocation'], geolocation: NEAR_BAYI_BRIDGE,
  },
};

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** A browser context for one role, Chinese and on the Asia/Shanghai clock; `overrides` for e.g. another position. */
export async function newRoleContext(browser: Browser, role: PageRole, overrides: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...ROLE_CONTEXTS[role], ...overrides });
  // Shorter than a test's timeout, so that a missing element fails with its selector rather than the test's timeout.
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * Everything a failing browser test needs to be understood, printed into the test's output as it happens: the
 * page's console errors and warnings, uncaught exceptions, requests that failed and API answers >= 400.
 */
export function watchPage(page: Page, label: string): Page {
  const say = (line: string) => console.log(`[${label}] ${line}`);
  page.on('console', (message) => {
    // "Failed to load resource" repeats a failed request, which is logged below with its URL.
    if ((message.type() === 'error' || message.type() === 'warning') && !message.text().startsWith('Failed to load resource')) {
      say(`console.${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => say(`uncaught: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => say(`request failed: ${request.method()} ${redact(request.url())} (${request.failure()?.errorText ?? '?'})`));
  page.on('response', (response) => {
    if (response.status() >= 400) say(`HTTP ${response.status()}: ${response.request().method()} ${redact(response.url())}`);
  });
  return page;
}

/** The event stream takes its token in the query (EventSource sends no headers): not worth printing. */
const redact = (url: string) => url.replace(/([?&]access_token=)[^&]+/, '$1…');

/** Saves test/artifacts/screenshots/<name>.png (kept after the run) and prints where. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`screenshot: ${path.relative(REPO_ROOT, file)}`);
  return file;
}

/**
 * Signs in through the sign-in page's picker of demo members (the first of the role, or the patrol member of
 * `teamId`) and waits for the role's own page.
 */
export async function signIn(page: Page, baseUrl: string, role: PageRole, options: { teamId?: string } = {}): Promise<void> {
  const member = DEMO_MEMBERS.find((m) => m.role === role && (!options.teamId || m.teamId === options.teamId));
  if (!member) throw new Error(`no demo member with role ${role}${options.teamId ? ` in ${options.teamId}` : ''}`);
  await page.goto(`${baseUrl}/sign-in`);
  const buttons = page.locator(`.member-list button[data-role="${role}"]`);
  const button = options.teamId ? buttons.filter({ hasText: new RegExp(`${escapeRegExp(member.name['zh-CN'])}|${escapeRegExp(member.name.en)}`) }) : buttons.first();
  await button.click();
  await page.waitForURL(new RegExp(`/${role}(\\?|#|$)`));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface BrowserSystem {
  stack: LocalStack;
  url: string;
  api: ApiClient;
  browser: Browser;
  /** A dev token with the coordinator's view of every case, for checks through the API. */
  coordinatorToken: string;
  stop(): Promise<void>;
}

/**
 * For one test file: the pages built if stale, a LocalStack with the demo on the run's DynamoDB Local (a stage and
 * data directory of its own), and one Chromium.
 */
export async function startBrowserSystem(options: { timeScale?: number } = {}): Promise<BrowserSystem> {
  await ensurePagesBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'srp-browser-'));
  const { templates } = await synthesizeForTest(options);
  const stack = await LocalStack.start({
    port: 0, templates, dynamoEndpoint: dynamoEndpoint(), dataDir, loadDemo: true, timeScale: options.timeScale ?? 1,
    log: process.env.DEBUG_STACK ? (line) => console.log(line) : undefined,
  });
  const api = new ApiClient(stack.url);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await stack.stop();
    throw new Error(`Chromium did not start (run \`bash scripts/ensure-chromium.sh\`, or set CHROMIUM_PATH): ${(error as Error).message}`);
  }
  const coordinatorToken = await api.token({ role: 'coordinator', sub: 'browser-test-checker' });
  return {
    stack, url: stack.url, api, browser, coordinatorToken,
    async stop() {
      try {
        await browser.close().catch(() => undefined);
        await stack.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
      }
    },
  };
}

/**
 * The phone keeps the page's app shell (an activated service worker), so that the page opens again without signal.
 * A first visit's service worker installs by downloading the shell: signal lost before that ends means nothing kept.
 */
export async function appShellKept(page: Page) {
  await expect.poll(() => page.evaluate<string | undefined>('navigator.serviceWorker.getRegistration().then((r) => r?.active?.state)'),
    { timeout: 60_000, message: 'the patrol page keeps its app shell (an activated service worker)' }).toBe('activated');
}

/** What axe-core finds against WCAG 2.1 A and AA (names, labels, contrast, landmarks, table headers …), in a line each. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const audit = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return audit.violations.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The cases whose place has this name, as the API lists them to a coordinator. */
export async function casesNamed(system: BrowserSystem, placeName: string) {
  const cases = await system.api.allCases(system.coordinatorToken) as { caseId: string; status: string; placeName?: string }[];
  return cases.filter((c) => c.placeName === placeName);
}

const BUILD_LOCK = path.join(tmpdir(), `srp-build-web-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`);
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Builds web/dist when it is missing or older than its sources (scripts/build-web-if-stale.ts, what `npm start`
 * runs first), once for all the browser test files running in parallel: the first takes a lock, the others wait
 * for it and then find the pages up to date.
 */
export async function ensurePagesBuilt(): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a run that was killed mid-build.
      if (Date.now() - lockTakenAt() > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 5 minutes for another build of the pages (lock ${BUILD_LOCK})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
    const { stdout } = await promisify(execFile)(tsx, [path.join(REPO_ROOT, 'scripts', 'build-web-if-stale.ts')], {
      cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000,
    });
    console.log(stdout.trim().split('\n')[0]);
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`the pages did not build (scripts/build-web-if-stale.ts):\n${stdout}\n${stderr}`);
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

function lockTakenAt(): number {
  try {
    return statSync(BUILD_LOCK).mtimeMs;
  } catch {
    return Date.now();
  }
}
