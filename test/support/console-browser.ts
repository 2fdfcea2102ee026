import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** Headless Chromium for the console's browser test (test/console.e2e-spec.ts), and what it reads in pages. */
export const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'screenshots') : join(__dirname, '..', '..', '.data', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A persistent browser context sitting in the tenant's zone (dates of events are its local days). */
export function launchConsoleBrowser(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: DESKTOP,
    timezoneId: 'Asia/Kolkata',
    locale: 'en-IN',
  });
}

// Functions given to page.evaluate run in the browser, while the tests are type-checked without the DOM's
// types: they read the browser's globals through the few types below.
/** What the tests read of the browser's globals in page.evaluate (the root tsconfig has no DOM types). */
export interface BrowserGlobals {
  document: { activeElement: { textContent: string | null } | null; documentElement: { scrollWidth: number } };
  sessionStorage: { length: number };
}

/** Marks the page: the mark survives until the page reloads. */
export const markNoReload = (page: Page) => page.evaluate(() => ((globalThis as { __still?: boolean }).__still = true));
export const stillSamePage = (page: Page) => page.evaluate(() => (globalThis as { __still?: boolean }).__still === true);
/** Resolves once the page says its stream is live. */
export const live = (page: Page) =>
  page
    .getByRole('status')
    .filter({ hasText: /^\s*Live\s*$/ })
    .waitFor();
