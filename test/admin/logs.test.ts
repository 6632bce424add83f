import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, pageErrors, requireAdminBrowser, screenshot, startAdminHarness, type AdminHarness } from '../helpers/admin-browser.js';

const available = requireAdminBrowser('admin UI: logs');

describe.skipIf(!available)('admin UI: logs', () => {
  let h: AdminHarness;

  beforeAll(async () => {
    h = await startAdminHarness();
    // traffic to find: 3 answered, 2 missing
    for (let i = 0; i < 3; i++) await fetch(`${h.server.url}/api/health?probe=ok-${i}`);
    for (let i = 0; i < 2; i++) await fetch(`${h.server.url}/api/collections/nope/records?probe=missing-${i}`);
  });
  afterAll(async () => h?.close());

  it('shows the requests-per-minute chart and the entries, filtered with the filter language', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.getByRole('link', { name: /Logs/ }).click();
    await page.getByRole('img', { name: /Requests per minute/ }).waitFor();

    await page.getByLabel('Filter', { exact: true }).fill('data.url ~ "probe="');
    await page.getByRole('button', { name: 'Apply' }).click();
    const rows = page.locator('table.data tbody tr');
    await expect.poll(() => rows.count()).toBe(5);
    // the chart counts what the list shows: 5 requests, the 2 unknown-collection ones as errors
    await page.getByRole('img', { name: 'Requests per minute: 5 in total, 2 errors' }).waitFor();
    await screenshot(page, 'logs');

    await page.getByLabel('Only errors').check();
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.first().innerText()).resolves.toContain('404');
    await page.getByLabel('Only errors').uncheck();
    await expect.poll(() => rows.count()).toBe(5);
    expect(errors).toEqual([]);
  });

  it('opens an entry in a detail panel with every logged field', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    await page.goto('/_/#/logs');
    await page.getByLabel('Filter', { exact: true }).fill('data.url ~ "probe=missing-1"');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: /Details of GET \/api\/collections\/nope\/records\?probe=missing-1/ }).click();
    const panel = page.getByRole('dialog', { name: 'Log entry' });
    await panel.waitFor();
    const text = await panel.innerText();
    expect(text).toContain('/api/collections/nope/records?probe=missing-1');
    expect(text).toMatch(/status\s+404/);
    expect(text).toMatch(/execTime\s+\d/);
    await screenshot(page, 'logs-detail');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('regression: a slow answer to the first load does not replace the filtered list', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    // hold back the unfiltered list until the filtered one is on screen: the order a slow network gives
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let delivered = 0;
    await page.route(/\/api\/logs\?/, async (route) => {
      const filter = new URL(route.request().url()).searchParams.get('filter') ?? '';
      if (filter.includes('probe=')) return route.continue();
      await held;
      await route.fulfill({ response: await route.fetch() });
      delivered++;
    });
    await page.goto('/_/#/logs');
    await page.getByLabel('Filter', { exact: true }).fill('data.url ~ "probe=missing-1"');
    await page.getByRole('button', { name: 'Apply' }).click();
    const rows = page.locator('table.data tbody tr');
    await page.getByRole('button', { name: /Details of GET \/api\/collections\/nope\/records\?probe=missing-1/ }).waitFor();
    release();
    await expect.poll(() => delivered).toBeGreaterThan(0);
    await page.waitForTimeout(300); // time for the late answer to render, had it been applied
    await expect(rows.count()).resolves.toBe(1);
    await expect(page.getByLabel('Filter', { exact: true }).inputValue()).resolves.toBe('data.url ~ "probe=missing-1"');
  });

  it('regression: Escape closes the side panel after focus fell to the page body', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    await page.goto('/_/#/logs');
    await page.getByLabel('Filter', { exact: true }).fill('data.url ~ "probe=ok-0"');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('button', { name: /Details of GET \/api\/health\?probe=ok-0/ }).click();
    const panel = page.getByRole('dialog', { name: 'Log entry' });
    await panel.waitFor();
    // what a busy button that disables itself does to the focus
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await expect(page.evaluate<string>('document.activeElement.tagName')).resolves.toBe('BODY');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('shows the API message next to the filter for a bad filter, and keeps working after it', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.goto('/_/#/logs');
    await page.getByLabel('Filter', { exact: true }).fill('data.status >>= 1');
    await page.getByRole('button', { name: 'Apply' }).click();
    const alert = page.locator('#logs-filter-error');
    await alert.waitFor();
    expect((await alert.innerText()).length).toBeGreaterThan(5);
    await page.getByLabel('Filter', { exact: true }).fill('data.url ~ "probe=ok"');
    await page.getByRole('button', { name: 'Apply' }).click();
    await alert.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('table.data tbody tr').count()).toBe(3);
    expect(errors).toEqual([]);
  });

  it('fits a 390 px phone', async () => {
    const { page } = await h.newPage(PHONE);
    await h.signIn(page);
    await page.goto('/_/#/logs');
    await page.getByRole('img', { name: /Requests per minute/ }).waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'logs-phone');
  });
});
