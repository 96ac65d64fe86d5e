/**
 * Debian's chromium driven by playwright-core, for the page tests: the browser
 * `test/setup/chromium.sh` installs (its path in LAKESTEP_CHROMIUM, set by
 * `npm run test:browser`), every request and console error of a page recorded.
 * @see https://playwright.dev/docs/api/class-browsertype#browser-type-launch
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Screenshots and generated pages of the browser tests (git-ignored). */
export const OUTPUT = join(import.meta.dirname, 'output');

export async function launch(): Promise<Browser> {
  const executablePath = process.env.LAKESTEP_CHROMIUM;
  if (!executablePath) throw new Error('LAKESTEP_CHROMIUM is not set: run the browser tests with npm run test:browser');
  mkdirSync(OUTPUT, { recursive: true });
  // As root (CI) Chromium refuses its sandbox; the page is our own file.
  return chromium.launch({ executablePath, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}

export interface OpenPage {
  page: Page;
  /** Every URL the page requested, its own file included. */
  requests: string[];
  /** Console errors (a Content Security Policy violation is one) and uncaught exceptions. */
  errors: string[];
  /** Milliseconds from navigation to the page's `lakestep:ready` mark. */
  readyMs: number;
}

export async function openPage(browser: Browser, file: string, viewport = { width: 1400, height: 1000 }): Promise<OpenPage> {
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => void requests.push(r.url()));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => void errors.push(e.message));
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => performance.getEntriesByName('lakestep:ready').length > 0, null, { timeout: 120_000 });
  const readyMs = await page.evaluate(() => performance.getEntriesByName('lakestep:ready')[0]!.startTime);
  return { page, requests, errors, readyMs };
}

/** Waits for the drawing after a filter change; returns its milliseconds from `since` (a performance.now() of the page). */
export async function filtered(page: Page, count: number, since: number): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName('lakestep:filtered').length > n, count, { timeout: 120_000 });
  return page.evaluate((t0) => performance.getEntriesByName('lakestep:filtered').at(-1)!.startTime - t0, since);
}
