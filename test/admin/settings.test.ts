import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, PHONE, expectToast, pageErrors, requireAdminBrowser, screenshot, startAdminHarness, type AdminHarness } from '../helpers/admin-browser.js';
import { startMailServer, type TestMailServer } from '../helpers/mail-server.js';
import { sdkClient } from '../helpers/sdk-clients.js';

const available = requireAdminBrowser('admin UI: settings');

/** An S3 endpoint that accepts every PutObject and DeleteObject and records them (no S3 server here). */
async function startS3Endpoint(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (req.method === 'PUT') res.writeHead(200, { ETag: '"0"' }).end();
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!available)('admin UI: settings', () => {
  let h: AdminHarness;
  let admin: PocketBase;
  let smtp: TestMailServer;

  beforeAll(async () => {
    h = await startAdminHarness();
    smtp = await startMailServer();
    admin = sdkClient(h.server.url);
    await admin.collection('_superusers').authWithPassword(ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('saves the application settings, and shows a bad URL\'s message next to its field', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.getByRole('link', { name: /Settings/ }).click();
    await page.getByLabel('Application name').fill('Acme Notes');
    await page.getByLabel('Application URL').fill('not a url');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#app-url-error').waitFor();
    expect(((await admin.settings.getAll())['meta'] as Record<string, unknown>)['appName']).toBe('Acme');

    await page.getByLabel('Application URL').fill('https://notes.example.com');
    await page.getByLabel('Client IP headers').fill('X-Forwarded-For');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#app-url-error').waitFor({ state: 'detached' });
    await page.getByText('Settings saved.').waitFor();
    const saved = await admin.settings.getAll();
    expect(saved['meta']).toMatchObject({ appName: 'Acme Notes', appURL: 'https://notes.example.com' });
    expect(saved['trustedProxy']).toMatchObject({ headers: ['X-Forwarded-For'] });
    await screenshot(page, 'settings-application');
    expect(errors).toEqual([]);
  });

  it('configures SMTP with a write-only password and sends a test mail', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.goto('/_/#/settings/mail');
    await page.getByLabel('Send mail through an SMTP server').check();
    await page.getByLabel('SMTP host').fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await page.getByLabel('Username', { exact: true }).fill('mailer');
    await page.getByLabel('Password', { exact: true }).fill('smtp-secret-1');
    await expectToast(page, 'Settings saved.', () => page.getByRole('button', { name: 'Save changes' }).click());
    const stored = h.server.app.settings.get() as { smtp: Record<string, unknown> };
    expect(stored.smtp).toMatchObject({ enabled: true, host: '127.0.0.1', port: smtp.port, password: 'smtp-secret-1' });
    // the form never shows it again, and a save without it keeps it
    await page.reload();
    await expect(page.getByLabel('Password', { exact: true }).inputValue()).resolves.toBe('');
    await expectToast(page, 'Settings saved.', () => page.getByRole('button', { name: 'Save changes' }).click());
    expect((h.server.app.settings.get() as { smtp: Record<string, unknown> }).smtp['password']).toBe('smtp-secret-1');

    await page.getByRole('button', { name: 'Send test email' }).click();
    const panel = page.getByRole('dialog', { name: 'Send a test email' });
    // regression: the "saved" toast sat over the side panel's footer buttons for 4 s
    const toastBox = await page.getByText('Settings saved.').boundingBox();
    const sendBox = await panel.getByRole('button', { name: 'Send' }).boundingBox();
    expect(toastBox && sendBox).toBeTruthy();
    if (toastBox && sendBox) expect(toastBox.y + toastBox.height <= sendBox.y || sendBox.y + sendBox.height <= toastBox.y).toBe(true);
    await panel.getByLabel('To').fill('not-an-email');
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.locator('#test-email-error').waitFor();
    await screenshot(page, 'settings-mail-test');
    await panel.getByLabel('To').fill('ops@example.com');
    await panel.getByLabel('Template', { exact: true }).selectOption('password-reset');
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.waitFor({ state: 'detached' });
    const mail = await smtp.waitFor((m) => m.to.includes('ops@example.com'));
    expect(mail.subject).toMatch(/password/i);
    expect(errors).toEqual([]);
  });

  it('saves S3 storage and tests the saved connection, showing the API\'s message when it fails', async () => {
    const s3 = await startS3Endpoint();
    try {
      const { page } = await h.newPage();
      const errors = pageErrors(page);
      await h.signIn(page);
      await page.goto('/_/#/settings/storage');
      await page.getByLabel('Store files in S3').check();
      await page.getByLabel('Endpoint').fill(s3.url);
      await page.getByLabel('Bucket').fill('uploads');
      await page.getByLabel('Region').fill('eu-central-1');
      await page.getByLabel('Access key').fill('AKIATEST');
      await page.getByRole('button', { name: 'Save changes' }).click();
      // enabled without a secret: the API's required-field message, next to the field
      await page.locator('#s3-secret-error').waitFor();
      await page.getByLabel('Secret').fill('s3-secret-1');
      await page.getByLabel('Force path-style addressing (MinIO and most self-hosted S3)').check();
      await expectToast(page, 'Settings saved.', () => page.getByRole('button', { name: 'Save changes' }).click());

      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
      expect(s3.requests.map((r) => r.split(' ')[0])).toEqual(['PUT', 'DELETE']);
      expect(s3.requests[0]).toMatch(/^PUT \/uploads\/pb_settings_test_\d+\.txt/);
      await screenshot(page, 'settings-storage');

      await s3.close();
      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.getByRole('status').filter({ hasText: 'Failed to test the S3 filesystem' }).waitFor();
      // the files of a PocketBase data dir stay where they are: switch back off
      await page.getByLabel('Store files in S3').uncheck();
      await expectToast(page, 'Settings saved.', () => page.getByRole('button', { name: 'Save changes' }).click());
      expect(((await admin.settings.getAll())['s3'] as Record<string, unknown>)['enabled']).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await s3.close().catch(() => undefined);
    }
  });

  it('edits the rate limit rules, shows a bad label\'s message on its row, and the limit applies', async () => {
    const { page } = await h.newPage();
    const errors = pageErrors(page);
    await h.signIn(page);
    await page.goto('/_/#/settings/rate-limits');
    await page.getByRole('button', { name: '+ Add rule' }).click();
    const row = (await page.locator('table.rules tbody tr').count());
    await page.getByLabel(`Label of rule ${row}`).fill('bad label!');
    await page.getByLabel(`Max requests of rule ${row}`).fill('2');
    await page.getByLabel(`Duration of rule ${row}`).fill('60');
    await page.getByLabel('Enable rate limiting').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('table.rules tbody tr').nth(row - 1).getByRole('alert').waitFor();

    await page.getByLabel(`Label of rule ${row}`).fill('GET /api/health');
    await expectToast(page, 'Settings saved.', () => page.getByRole('button', { name: 'Save changes' }).click());
    await screenshot(page, 'settings-rate-limits');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${h.server.url}/api/health`)).status);
    expect(statuses).toEqual([200, 200, 429]);

    await page.getByRole('button', { name: `Remove rule ${row}` }).click();
    await page.getByLabel('Enable rate limiting').uncheck();
    await expectToast(page, 'Settings saved.', () => page.getByRole('button', { name: 'Save changes' }).click());
    expect(((await admin.settings.getAll())['rateLimits'] as Record<string, unknown>)['enabled']).toBe(false);
    expect(errors).toEqual([]);
  });

  it('fits a 390 px phone', async () => {
    const { page } = await h.newPage(PHONE);
    await h.signIn(page);
    await page.goto('/_/#/settings/rate-limits');
    await page.getByLabel('Enable rate limiting').waitFor();
    await screenshot(page, 'settings-phone');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
