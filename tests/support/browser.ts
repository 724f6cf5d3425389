import { startEmbedded, type EmbeddedSystem } from '@fbl/embedded';
import { createLogger } from '@fbl/observability';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Site } from './actors.js';
import { ROOT } from './processes.js';

/** Debian's Chromium (the `chromium` package, installed by .ci/run); never a downloaded browser. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Where the browser tests leave a screenshot of each workspace. */
export const SHOTS = join(ROOT, 'test-output', 'screenshots');

export const LAPTOP = { width: 1366, height: 768 };
export const TABLET = { width: 768, height: 1024 };

/** The embedded system with its demo data, and a browser to use it with. */
export interface BrowserHarness {
  system: EmbeddedSystem;
  site: Site;
  browser: Browser;
  /** A new page (its own session) at the system's address, in Chinese. */
  open(viewport: { width: number; height: number }): Promise<Page>;
  /** Sign in with a demo account picked from the sign-in page's list. */
  signInAs(page: Page, username: string): Promise<void>;
  stop(): Promise<void>;
}

/** Debian's Chromium, headless, in Chinese (as a browser in Shandong is: date inputs read 年/月/日), for a test; the screenshot folder made. */
export async function launchChromium(): Promise<Browser> {
  await mkdir(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Start the embedded system (PGlite in memory, demo data; a sign-in policy of its own if given) and Chromium. */
export async function startBrowserHarness(name: string, options: Omit<NonNullable<Parameters<typeof startEmbedded>[1]>, 'logger'> = {}): Promise<BrowserHarness> {
  const system = await startEmbedded({ port: 0, host: '127.0.0.1', database: { dataDir: 'memory' }, logLevel: 'silent' }, { ...options, logger: createLogger({ name, level: 'silent' }) });
  const browser = await launchChromium();
  return {
    system,
    site: { url: system.url, authSecret: system.secrets.authSecret },
    browser,
    async open(viewport) {
      const page = await browser.newPage({ viewport, locale: 'zh-CN' });
      await page.goto(system.url);
      return page;
    },
    async signInAs(page, username) {
      // Sign-in is limited to 10 a minute per address: a test that signs in more waits its turn.
      for (let attempt = 0; ; attempt++) {
        await page.locator(`.demo button[data-username="${username}"]`).click();
        await page.getByRole('button', { name: '登录' }).click();
        const outcome = await Promise.race([
          page.locator('.who').waitFor({ timeout: 30_000 }).then(() => 'signed-in'),
          page.getByText('尝试过于频繁，请稍后再试').waitFor({ timeout: 30_000 }).then(() => 'too-many'),
        ]).catch(() => 'neither');
        if (outcome !== 'too-many' || attempt >= 2) return;
        await page.waitForTimeout(61_000);
      }
    },
    async stop() {
      await browser.close();
      await system.stop();
    },
  };
}

/**
 * Latin words and ids left in a Chinese page's visible text: an English word or a camelCase key
 * (two letters or more, other than the abbreviations Chinese clinicians and forms use as they are,
 * and the language switch), and anything shaped like a UUID. A zh-CN page must have none. Text
 * marked `translate="no"` is data that is Latin by nature (a user name people sign in with, a
 * temporary password to read out), not words to translate, and is left out (UUIDs in it are not).
 */
export async function foreignWords(page: Page): Promise<string[]> {
  const text = await page.evaluate<string>(`(() => {
    let text = document.body.innerText;
    for (const el of document.querySelectorAll('[translate="no"]')) {
      const own = el.innerText.trim();
      if (own && !/[0-9a-f]{8}-[0-9a-f]{4}-/i.test(own)) text = text.replace(own, ' ');
    }
    return text;
  })()`);
  const allowed = new Set(['KPS', 'ECOG', 'ICD', 'PDF', 'JPEG', 'PNG', 'MB', 'KB', 'CSV', 'GB', 'English']);
  const uuids = text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];
  const words = (text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, ' ').match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !allowed.has(w) && !allowed.has(w.toUpperCase()));
  return [...new Set([...uuids, ...words])];
}

/**
 * What a person must never read on a zh-CN page, besides {@link foreignWords}: an ISO timestamp
 * (a date is shown as people write it), and the words a missing value leaves behind.
 */
export async function rawValues(page: Page): Promise<string[]> {
  const text = await page.evaluate<string>('document.body.innerText');
  const found = text.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\b(?:undefined|null|NaN)\b|\[object Object\]/g) ?? [];
  return [...new Set(found)];
}
