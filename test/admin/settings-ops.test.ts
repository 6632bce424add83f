import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_DIALECT, ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, pageErrors, requireAdminBrowser, screenshot, startAdminHarness, type AdminHarness } from '../helpers/admin-browser.js';
import { requireService } from '../helpers/requirements.js';
import { sdkClient } from '../helpers/sdk-clients.js';

const available = requireAdminBrowser('admin UI: backups, API keys, crons');
const postgres = available && (await requireService('postgres', 'admin UI: backups on PostgreSQL')) !== null;

describe.skipIf(!available)('admin UI: backups, API keys and crons', () => {
  let h: AdminHarness;
  let admin: PocketBase;

  beforeAll(async () => {
    h = await startAdminHarness();
    admin = sdkClient(h.server.url);
    await admin.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.collections.create({ name: 'orders', listRule: '', viewRule: '', fields: [{ name: 'item', type: 'text' }] });
    await admin.collection('orders').create({ item: 'before-backup' });
  });
  afterAll(async () => h?.close());

  // Plinth backs up SQLite data dirs only (PostgreSQL and MySQL have their own tools)
  const backups = ADMIN_DIALECT === 'sqlite';

  it.runIf(backups)('creates, downloads, uploads and deletes backups, and saves the schedule', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.goto('/_/#/settings/backups');
    await page.getByLabel('Backup name').fill('ui-first.zip');
    await page.getByRole('button', { name: 'Create backup' }).click();
    await page.getByRole('cell', { name: 'ui-first.zip', exact: true }).waitFor();
    expect((await admin.backups.getFullList()).map((b) => b.key)).toContain('ui-first.zip');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download ui-first.zip' }).click()]);
    const saved = join(tmpdir(), `plinth-ui-backup-${Date.now()}.zip`);
    await download.saveAs(saved);
    const zip = readFileSync(saved);
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zip.toString('latin1')).toContain('data.db');

    // the downloaded archive goes back in under another name
    const copy = join(tmpdir(), 'ui-uploaded.zip');
    writeFileSync(copy, zip);
    await page.locator('input[type=file]').setInputFiles(copy);
    await page.getByRole('cell', { name: 'ui-uploaded.zip', exact: true }).waitFor();
    await screenshot(page, 'settings-backups');

    await page.getByRole('button', { name: 'Delete ui-uploaded.zip' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('cell', { name: 'ui-uploaded.zip', exact: true }).waitFor({ state: 'detached' });
    expect((await admin.backups.getFullList()).map((b) => b.key)).not.toContain('ui-uploaded.zip');

    await page.getByLabel('Schedule (cron expression, UTC)').fill('every night');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.locator('#backup-cron-error').waitFor();
    await page.getByLabel('Schedule (cron expression, UTC)').fill('0 3 * * *');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.locator('#backup-cron-error').waitFor({ state: 'detached' });
    expect((await admin.settings.getAll())['backups']).toMatchObject({ cron: '0 3 * * *' });
    expect(errors).toEqual([]);
  });

  it.runIf(backups)('restores a backup: the server restarts on the old data and the page comes back signed in', async () => {
    await admin.backups.create('ui-restore.zip');
    await admin.collection('orders').create({ item: 'after-backup' });
    const { page } = await h.newPage();
    await h.signIn(page);
    await page.goto('/_/#/settings/backups');
    await page.getByRole('button', { name: 'Restore ui-restore.zip' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('status').filter({ hasText: 'Restoring ui-restore.zip' }).waitFor();
    // the page reloads once the server answers again
    await page.getByRole('button', { name: 'Create backup' }).waitFor({ timeout: 30_000 });
    await page.getByRole('status').filter({ hasText: 'Restoring' }).waitFor({ state: 'detached' });
    const items = (await sdkClient(h.server.url).collection('orders').getFullList()).map((r) => r['item']);
    expect(items).toEqual(['before-backup']);
  });

  it('creates a scoped API key shown once, which works until it is revoked', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.goto('/_/#/settings/api-keys');
    await page.getByRole('button', { name: '+ New API key' }).click();
    const panel = page.getByRole('dialog', { name: 'New API key' });
    await panel.getByLabel('Name').fill('reporting');
    // no action in the only scope: the API's message, next to the scopes
    for (const action of ['list', 'view']) await panel.getByRole('group', { name: 'Actions of scope 1' }).getByLabel(action).uncheck();
    await panel.getByRole('button', { name: 'Create key' }).click();
    await panel.locator('fieldset').getByRole('alert').waitFor();
    await panel.getByLabel('Collection of scope 1').selectOption('orders');
    await panel.getByRole('group', { name: 'Actions of scope 1' }).getByLabel('list').check();
    await panel.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'API key created' });
    const key = await shown.getByLabel('API key “reporting”').inputValue();
    expect(key).toMatch(/^plk_/);
    await screenshot(page, 'settings-api-key-created');
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'reporting', exact: true }).waitFor();
    // the list never shows it again
    expect(await page.locator('table.data').innerText()).not.toContain(key);
    await screenshot(page, 'settings-api-keys');

    const asKey = (path: string): Promise<number> => fetch(`${h.server.url}${path}`, { headers: { Authorization: key } }).then((r) => r.status);
    expect(await asKey('/api/collections/orders/records')).toBe(200);
    expect(await asKey('/api/collections')).toBe(403);

    await page.getByRole('button', { name: 'Revoke reporting' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('cell', { name: 'reporting', exact: true }).waitFor({ state: 'detached' });
    // a revoked key makes the caller a guest: the listRule is public, but a guest may not list the collections
    expect(await asKey('/api/collections')).toBe(401);
    const keys = await admin.send<{ items: unknown[] }>('/api/plinth/api-keys', {});
    expect(keys.items).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('lists the cron jobs and runs one now', async () => {
    let runs = 0;
    h.server.app.ops.crons.add('ui_test_job', '0 0 1 1 *', () => void runs++);
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.goto('/_/#/settings/crons');
    await page.getByRole('cell', { name: '__pbDBOptimize__', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Run ui_test_job now' }).click();
    await page.getByText('Started ui_test_job').waitFor();
    await expect.poll(() => runs).toBe(1);
    await screenshot(page, 'settings-crons');
    expect(errors).toEqual([]);
  });

  it('fits a 390 px phone', async () => {
    const { page } = await h.newPage(PHONE);
    await h.signIn(page);
    await page.goto('/_/#/settings/backups');
    await (backups ? page.getByRole('button', { name: 'Create backup' }) : page.getByText(/pg_dump/)).waitFor();
    await screenshot(page, 'settings-backups-phone');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

describe.skipIf(!postgres)('admin UI: backups on PostgreSQL', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness({ dialect: 'postgres' });
  });
  afterAll(async () => h?.close());

  it('says up front that the database\'s own tools make the backups, and offers no button that would fail', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.goto('/_/#/settings/backups');
    await page.getByRole('status').filter({ hasText: 'pg_dump' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create backup' }).count()).toBe(0);
    expect(await page.getByText('Upload backup').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save schedule' }).count()).toBe(0);
    // the other sections are there as on SQLite
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(errors).toEqual([]);
  });
});
