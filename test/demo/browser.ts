import { existsSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium (`apt-get install chromium`), or `TENANTRY_CHROMIUM`; the tests never download a browser. */
export const chromiumPath = process.env.TENANTRY_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** Headless Chromium, started without the background services a closed network refuses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const patience = { timeout: 20_000 };

/** Waits until the text of `locator` contains `text` (polled: no fixed sleeps). */
export async function see(locator: Locator, text: string): Promise<void> {
  await expect.poll(async () => (await locator.allTextContents()).join(' '), patience).toContain(text);
}

/** Waits until `read` answers `expected`. */
export async function until<T>(read: () => Promise<T>, expected: T): Promise<void> {
  await expect.poll(read, patience).toEqual(expected);
}

/** The names in the users table, in order, once it is not loading. */
export async function userNames(page: Page): Promise<string[]> {
  if ((await page.locator('#users-table').getAttribute('aria-busy')) !== 'false') return ['(loading)'];
  return page.locator('#users-table tbody tr td:first-child button').allTextContents();
}

/** Signs in on the sign-in form. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/`);
  const form = page.locator('#signin-form');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
}
