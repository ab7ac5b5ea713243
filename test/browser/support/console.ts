import type { Browser, Page } from 'puppeteer-core';
import { STAFF_PASSWORD } from '../../support/staff.js';
import { openPage, type PageLog } from './browser.js';

/**
 * Helpers for the staff console's browser tests. Waits are on conditions in the page, never on time.
 * Predicates are sent as expressions that DevTools compiles (the console's CSP forbids eval).
 */

/**
 * A console page in a browser context of its own (its own cookies: one signed-in person per page) that
 * also records chimes (WebAudio oscillators started) and notifications shown.
 */
export async function openConsolePage(browser: Browser): Promise<{ page: Page; log: PageLog }> {
  const { page, log } = await openPage(await browser.createBrowserContext());
  await page.evaluateOnNewDocument(() => {
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
      console.log('[chime] oscillator');
      return start.apply(this, args);
    };
    // Chromium's headless shell has no notifications (permission is always "denied"): a stand-in
    // records what the console asks for and shows, and answers the permission prompt with "allow".
    let permission: NotificationPermission = 'default';
    class RecordedNotification {
      static get permission() {
        return permission;
      }
      static async requestPermission() {
        console.log('[permission-request]');
        permission = 'granted';
        return permission;
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        console.log(`[notification] ${title} | ${options?.body ?? ''}`);
      }
      close() {}
    }
    Object.defineProperty(window, 'Notification', { configurable: true, writable: true, value: RecordedNotification });
  });
  return { page, log };
}

/** Waits until `fn(...args)` is truthy in the page. */
export async function waitIn<A extends unknown[]>(
  page: Page,
  fn: (...args: A) => unknown,
  timeout = 10_000,
  ...args: A
): Promise<void> {
  await page.waitForFunction(`!!(${fn.toString()})(...${JSON.stringify(args)})`, { timeout, polling: 50 });
}

/** The trimmed text of the first element matching `selector`, or null. */
export function textOf(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((sel) => document.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim() ?? null, selector);
}

/** Opens /console and signs in through the form by keyboard: the email field has the focus on arrival. */
export async function signInAt(page: Page, url: string, email: string, password = STAFF_PASSWORD): Promise<void> {
  await page.goto(`${url}/console`, { waitUntil: 'load' });
  await page.waitForSelector('#email');
  await waitIn(page, () => document.activeElement?.id === 'email');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

/** Counts of chimes and notifications so far. */
export function alertsIn(log: PageLog): { chimes: number; notifications: string[]; permissionRequests: number } {
  return {
    permissionRequests: log.console.filter((l) => l === '[permission-request]').length,
    chimes: log.console.filter((l) => l.startsWith('[chime]')).length,
    notifications: log.console.filter((l) => l.startsWith('[notification] ')).map((l) => l.slice(15)),
  };
}
