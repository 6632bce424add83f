import type PocketBase from 'pocketbase';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, expectToast, pageErrors, requireAdminBrowser, screenshot, startAdminHarness, type AdminHarness } from '../helpers/admin-browser.js';
import { sdkClient } from '../helpers/sdk-clients.js';

const available = requireAdminBrowser('admin UI: collections');

const TYPES = ['text', 'editor', 'number', 'bool', 'email', 'url', 'date', 'autodate', 'select', 'file', 'relation', 'json', 'geoPoint', 'password'];

async function save(page: Page, button: 'Create' | 'Save changes'): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
}

describe.skipIf(!available)('admin UI: collections', () => {
  let h: AdminHarness;
  let admin: PocketBase;

  beforeAll(async () => {
    h = await startAdminHarness();
    admin = sdkClient(h.server.url);
    await admin.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.collections.create({ name: 'authors', fields: [{ name: 'name', type: 'text' }] });
  });
  afterAll(async () => h?.close());

  it('creates a base collection with one field of each of the 14 types, then renames it', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.getByRole('link', { name: '+ New collection' }).click();
    await page.getByLabel('Name', { exact: true }).fill('things');
    for (const [i, type] of TYPES.entries()) {
      await page.getByLabel('New field').selectOption(type);
      await page.getByRole('button', { name: '+ Add field' }).click();
      // the scaffold's own fields (id, …) come first: the new one is the last card
      const card = page.getByRole('group', { name: /^Field / }).last();
      await card.getByLabel('Field name').fill(`f_${type.toLowerCase()}`);
      if (type === 'select') await card.getByLabel('Values').fill('red, green');
      if (type === 'relation') await card.getByLabel('Related collection').selectOption({ label: 'authors' });
      if (type === 'number') await card.getByLabel('Max', { exact: true }).fill('10');
      if (type === 'text') await card.getByLabel('Pattern', { exact: true }).fill('^[a-z]+$');
      if (type === 'file') await card.getByLabel('Max files').fill('3');
      void i;
    }
    await screenshot(page, 'collections-fields');
    // regression: a toolbar rule (`.row > .grow > input`) made each field-name input 12rem tall
    const nameBox = await page.getByRole('group', { name: /^Field / }).last().getByLabel('Field name').boundingBox();
    expect(nameBox?.height).toBeLessThan(60);
    await expectToast(page, 'Collection created.', () => save(page, 'Create'));
    const things = await admin.collections.getOne('things');
    for (const type of TYPES) expect(things.fields.find((f) => f.name === `f_${type.toLowerCase()}`)?.type, type).toBe(type);
    const field = (name: string) => things.fields.find((f) => f.name === name) as Record<string, unknown>;
    expect(field('f_select')['values']).toEqual(['red', 'green']);
    expect(field('f_relation')['collectionId']).toBe((await admin.collections.getOne('authors')).id);
    expect(field('f_number')['max']).toBe(10);
    expect(field('f_text')['pattern']).toBe('^[a-z]+$');
    expect(field('f_file')['maxSelect']).toBe(3);
    // the sidebar knows it
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /things/ }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('gadgets');
    await save(page, 'Save changes');
    await page.getByText('Collection saved.').waitFor();
    expect((await admin.collections.getOne(things.id)).name).toBe('gadgets');
    await page.waitForURL(/#\/collections\/gadgets\/schema$/);
    expect(errors).toEqual([]);
  });

  it('adds a unique index, shows a bad index and a bad field option next to them', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    await page.goto('/_/#/collections/gadgets/schema');
    await page.getByRole('tab', { name: 'Indexes' }).click();
    await page.getByLabel(/Indexes, one/).fill('CREATE UNIQUE INDEX idx_gadgets_email ON gadgets (f_email)');
    await save(page, 'Save changes');
    await page.getByText('Collection saved.').waitFor();
    expect((await admin.collections.getOne('gadgets')).indexes.join()).toContain('idx_gadgets_email');
    await page.getByLabel(/Indexes, one/).fill('CREATE INDEX broken ON gadgets (no_such_column)');
    await save(page, 'Save changes');
    await page.getByRole('alert').filter({ hasText: /index/i }).first().waitFor();
    expect((await admin.collections.getOne('gadgets')).indexes.join()).toContain('idx_gadgets_email');
  });

  it('writes a rule with keyboard autocompletion, and shows the API message for a bad one', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    await page.goto('/_/#/collections/gadgets/schema');
    await page.getByRole('tab', { name: 'API rules' }).click();
    const view = page.getByLabel('View rule', { exact: true });
    await page.getByRole('checkbox', { name: 'Locked (superusers only)' }).nth(1).uncheck();
    await view.click();
    await view.pressSequentially('f_rel');
    await page.getByRole('option', { name: 'f_relation.name' }).waitFor();
    await view.press('ArrowDown');
    await view.press('Enter');
    await view.pressSequentially(' = "x" && @request.auth.i');
    await page.getByRole('option', { name: '@request.auth.id', exact: true }).waitFor();
    await view.press('Tab');
    await view.pressSequentially(' != ""');
    expect(await view.inputValue()).toMatch(/^f_relation\.\w+ = "x" && @request\.auth\.id != ""$/);
    await screenshot(page, 'collections-rules');
    const typed = await view.inputValue();
    await save(page, 'Save changes');
    await page.getByText('Collection saved.').waitFor();
    expect((await admin.collections.getOne('gadgets')).viewRule).toBe(typed);

    await view.fill('no_such_field = 1');
    await save(page, 'Save changes');
    await page.getByRole('alert').filter({ hasText: /no_such_field|Invalid rule/ }).first().waitFor();
    expect((await admin.collections.getOne('gadgets')).viewRule).toBe(typed);
  });

  it('creates an auth collection and a view collection after a dry run', async () => {
    const { page } = await h.newPage();
    await h.signIn(page);
    await page.goto('/_/#/collections/new');
    await page.locator('#collection-type').selectOption('auth');
    await page.getByLabel('Name', { exact: true }).fill('customers');
    await expectToast(page, 'Collection created.', () => save(page, 'Create'));
    expect((await admin.collections.getOne('customers')).type).toBe('auth');

    await page.goto('/_/#/collections/new');
    await page.locator('#collection-type').selectOption('view');
    await page.getByLabel('Name', { exact: true }).fill('author_names');
    await page.getByLabel(/SQL query/).fill('SELECT id, nope FROM authors');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('alert').filter({ hasText: 'Failed to run the view query' }).waitFor();
    await page.getByLabel(/SQL query/).fill('SELECT id, name FROM authors');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('status').filter({ hasText: 'name: text' }).waitFor();
    await screenshot(page, 'collections-view-query');
    await expectToast(page, 'Collection created.', () => save(page, 'Create'));
    expect((await admin.collections.getOne('author_names')).type).toBe('view');
  });

  it('deletes a collection after confirming, on a phone', async () => {
    const { page } = await h.newPage(PHONE);
    await h.signIn(page);
    await page.goto('/_/#/collections/gadgets/schema');
    await page.getByRole('button', { name: 'Delete collection' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    expect((await admin.collections.getOne('gadgets')).name).toBe('gadgets');
    await screenshot(page, 'collections-phone');
    await page.getByRole('button', { name: 'Delete collection' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Collection deleted.').waitFor();
    await expect(admin.collections.getOne('gadgets')).rejects.toThrow();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  });
});
