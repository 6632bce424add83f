import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CSP } from '../../src/http/admin/admin-ui-routes.js';
import { FirstSuperuser } from '../../src/core/auth/first-superuser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, pageErrors, requireAdminBrowser, screenshot, startAdminHarness, type AdminHarness } from '../helpers/admin-browser.js';

const available = requireAdminBrowser('admin UI: shell, install, sign-in');

describe.skipIf(!available)('admin UI: serving /_/', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness();
  });
  afterAll(async () => h?.close());

  it('serves index.html with a CSP and no-cache, hashed assets as immutable, and honours ETags', async () => {
    const index = await fetch(`${h.server.url}/_/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(ADMIN_CSP);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/_\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${h.server.url}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    const again = await fetch(`${h.server.url}${script}`, { headers: { 'if-none-match': asset.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('answers a reload of a deep /_/ path with the app, a missing asset with a JSON 404', async () => {
    expect((await fetch(`${h.server.url}/_/collections/posts`)).headers.get('content-type')).toMatch(/text\/html/);
    const missing = await fetch(`${h.server.url}/_/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404 });
    const bare = await fetch(`${h.server.url}/_`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/_/');
  });

  it('signs in, stays signed in across a reload, and signs out', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await page.goto('/_/');
    await expect(page.getByRole('heading', { name: 'Plinth admin' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'sign-in');
    // a wrong password shows the API's message, not a blank page
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Failed to authenticate.' }).waitFor();
    await h.signIn(page);
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByText(ADMIN_EMAIL).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('works on a 390 px phone: the menu opens the sidebar', async () => {
    const { page } = await h.newPage(PHONE);
    await h.signIn(page);
    // on a phone the sidebar is folded behind the menu button
    expect(await page.getByRole('link', { name: /Settings/ }).isVisible()).toBe(false);
    const menu = page.getByRole('button', { name: /Menu/ });
    await menu.click();
    await page.getByRole('link', { name: /Settings/ }).waitFor();
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(PHONE.width);
  });
});

describe.skipIf(!available)('admin UI: first start', () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness({ superuser: false });
  });
  afterAll(async () => h?.close());

  it('creates the first superuser from the install link, then the link is spent', async () => {
    const install = new FirstSuperuser(h.server.app.schema, h.server.app.records);
    const token = await install.issueToken();
    expect(token).toBeTruthy();
    const { page } = await h.newPage();
    await page.goto(`/_/#/install/${token}`);
    await page.getByLabel('Email').fill('first@example.com');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Password again').fill('short');
    await page.getByRole('button', { name: /Create superuser/ }).click();
    // the API's field message, next to the field
    await page.getByText('Must be at least 8 characters.', { exact: true }).waitFor();
    await screenshot(page, 'install');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel('Password again').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: /Create superuser/ }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    expect(await install.issueToken()).toBeNull();
    const again = await fetch(`${h.server.url}/api/plinth/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: 'second@example.com', password: ADMIN_PASSWORD, passwordConfirm: ADMIN_PASSWORD }),
    });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { message: string }).message).toMatch(/already exists/);
  });

  it('refuses a forged or missing install token with 400', async () => {
    for (const token of ['', 'x.y.z', `${'a'.repeat(20)}.${'b'.repeat(20)}.${'c'.repeat(20)}`]) {
      const res = await fetch(`${h.server.url}/api/plinth/install`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, email: 'x@example.com', password: ADMIN_PASSWORD, passwordConfirm: ADMIN_PASSWORD }),
      });
      expect(res.status).toBe(400);
    }
  });
});
