import type PocketBase from 'pocketbase';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, pageErrors, requireAdminBrowser, screenshot, startAdminHarness, type AdminHarness } from '../helpers/admin-browser.js';
import { sdkClient } from '../helpers/sdk-clients.js';

const available = requireAdminBrowser('admin UI: rule tester');

/** Searches a record picker and picks the match, as a user would. */
async function pick(page: Page, label: string, search: string, id: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(search);
  await page.getByRole('list', { name: `${label}: matches` }).getByRole('button', { name: new RegExp(`\\(${id}\\)$`) }).click();
  await page.getByRole('list', { name: `${label}: selected` }).getByText(id).waitFor();
}

describe.skipIf(!available)('admin UI: rule tester', () => {
  let h: AdminHarness;
  let admin: PocketBase;
  let owner = '';
  let note = '';

  beforeAll(async () => {
    h = await startAdminHarness();
    admin = sdkClient(h.server.url);
    await admin.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    const members = await admin.collections.create({ name: 'members', type: 'auth', listRule: '', viewRule: '', fields: [{ name: 'name', type: 'text' }] });
    await admin.collections.create({
      name: 'notes', viewRule: 'status = "published" && owner = @request.auth.id',
      fields: [{ name: 'title', type: 'text' }, { name: 'status', type: 'select', values: ['draft', 'published'], maxSelect: 1 }, { name: 'owner', type: 'relation', collectionId: members.id, maxSelect: 1 }],
    });
    owner = (await admin.collection('members').create({ email: 'owner@example.com', password: 'owner-password', passwordConfirm: 'owner-password', name: 'Owner' })).id;
    note = (await admin.collection('notes').create({ title: 'Mine', status: 'published', owner })).id;
  });
  afterAll(async () => h?.close());

  it('explains a denied view for a guest, an allowed one for the owner, and a draft rule', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.getByRole('link', { name: /Rule tester/ }).click();
    await page.getByLabel('Collection', { exact: true }).selectOption('notes');
    await page.getByLabel('Action', { exact: true }).selectOption('view');
    await pick(page, 'Record', 'Mine', note);
    await page.getByRole('button', { name: 'Explain' }).click();
    const result = page.getByRole('region', { name: 'Result' });
    await result.getByText('DENIED').waitFor();
    // the failed clause and the values it compared
    const failed = result.locator('li.fail').filter({ hasText: 'owner = @request.auth.id' }).last();
    await expect(failed.innerText()).resolves.toContain(owner);
    await expect(failed.innerText()).resolves.toContain('null');
    await screenshot(page, 'rule-tester-denied');

    await page.getByLabel('Auth collection').selectOption('members');
    await pick(page, 'Signed in as', 'owner@example.com', owner);
    await page.getByRole('button', { name: 'Explain' }).click();
    await result.getByText('ALLOWED').waitFor();
    await screenshot(page, 'rule-tester-allowed');

    await page.getByLabel('Test a draft rule instead of the saved one').check();
    await page.getByLabel('Draft rule', { exact: true }).fill('status = "draft"');
    await page.getByRole('button', { name: 'Explain' }).click();
    await result.getByText('DENIED').waitFor();
    // a draft that does not parse shows the API's message, not a blank page
    await page.getByLabel('Draft rule', { exact: true }).fill('status = = "draft"');
    await page.getByRole('button', { name: 'Explain' }).click();
    await result.getByRole('alert').waitFor();
    expect(errors).toEqual([]);
    // the saved rule is untouched
    expect((await admin.collections.getOne('notes')).viewRule).toBe('status = "published" && owner = @request.auth.id');
  });

  it('works on a 390 px phone', async () => {
    const { page } = await h.newPage(PHONE);
    await h.signIn(page);
    await page.goto('/_/#/rules');
    await page.getByLabel('Collection', { exact: true }).selectOption('notes');
    await pick(page, 'Record', 'Mine', note);
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByText('DENIED').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'rule-tester-phone');
  });
});
