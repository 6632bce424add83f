import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SuperuserAccounts } from '../../src/core/auth/superuser-accounts.js';
import { repoRoot } from './paths.js';
import { isCi } from './requirements.js';
import { ALL_DIALECTS, isTestDialect, type TestDialect } from './test-databases.js';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

/** Debian's Chromium (apt-get install chromium); Playwright's own browser download fails here. */
export const CHROMIUM = process.env.PLINTH_TEST_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/**
 * The store behind the browser suites: SQLite, as in CI. `PLINTH_TEST_ADMIN_DIALECT=postgres` (or
 * `mysql`) runs them on another store by hand; the backups flows then skip (SQLite data dirs only).
 */
export const ADMIN_DIALECT: TestDialect = adminDialect(process.env.PLINTH_TEST_ADMIN_DIALECT);

function adminDialect(value: string | undefined): TestDialect {
  if (value === undefined || value === '') return 'sqlite';
  if (!isTestDialect(value)) throw new Error(`PLINTH_TEST_ADMIN_DIALECT=${value}: expected one of ${ALL_DIALECTS.join(', ')}`);
  return value;
}

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'admin-password-1';

/** The 1280 px desktop and the 390 px phone the UI must work at. */
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/**
 * Whether the browser suites can run: Chromium at {@link CHROMIUM} and the built UI in dist/admin
 * (`npm test` builds it first). Elsewhere a missing one skips with one line; under CI it fails.
 */
export function requireAdminBrowser(suite: string): boolean {
  const missing = !existsSync(CHROMIUM)
    ? `Chromium not found at ${CHROMIUM} (apt-get install chromium)`
    : !existsSync(join(repoRoot(), 'dist', 'admin', 'index.html'))
      ? 'the admin UI is not built (npm run build)'
      : null;
  if (!missing) return true;
  if (isCi()) throw new Error(`CI=true and ${missing} [${suite}]: required under CI`);
  console.log(`skipped: ${missing} [${suite}]`);
  return false;
}

/** A real server with one superuser, and a headless Chromium to drive its admin UI. */
export interface AdminHarness {
  server: TestServer;
  browser: Browser;
  /** A fresh browser context (its own storage) with a page at `viewport`. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** Opens /_/, signs in as the superuser and waits for the signed-in layout. */
  signIn(page: Page): Promise<void>;
  close(): Promise<void>;
}

export async function startAdminHarness(options: TestServerOptions & { superuser?: boolean } = {}): Promise<AdminHarness> {
  const { superuser = true, ...serverOptions } = options;
  const server = await startTestServer({ dialect: ADMIN_DIALECT, ...serverOptions });
  if (superuser) await new SuperuserAccounts(server.app.schema, server.app.records).create(ADMIN_EMAIL, ADMIN_PASSWORD);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async newPage(viewport = DESKTOP) {
      const context = await browser.newContext({ viewport, baseURL: server.url });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      const page = await context.newPage();
      // a blank page must fail the test, not pass silently: surface the page's own errors
      page.on('pageerror', (err) => console.error(`admin page error: ${err.message}`));
      return { context, page };
    },
    async signIn(page) {
      await page.goto('/_/#/login');
      await page.getByLabel('Email').fill(ADMIN_EMAIL);
      await page.getByLabel('Password').fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.close();
    },
  };
}

/** Saves a screenshot for the docs (docs/images/admin/<name>.png): the README shows these. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(repoRoot(), 'docs', 'images', 'admin');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}

/** Collects uncaught page errors, so a test can assert the page never broke. */
export function pageErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on('pageerror', (err) => seen.push(err.message));
  return seen;
}

/**
 * Waits for a toast reading `text` that `action` brings up. The toasts already shown are dismissed
 * first: an earlier "saved" toast is still up for 4 s and would pass for the new one.
 */
export async function expectToast(page: Page, text: string, action: () => Promise<void>): Promise<void> {
  const dismiss = page.locator('.toast').getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await action();
  await page.locator('.toast').filter({ hasText: text }).first().waitFor();
}
