import { describe, expect, it } from 'vitest';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import { collectionTemplate, recordPlaceholders, resolveTemplate } from '../../../src/core/mail/mail-templates.js';
import { RecordMails } from '../../../src/core/mail/record-mails.js';
import type { MailMessage } from '../../../src/core/mail/mailer.js';

const users = {
  id: 'u', name: 'users', type: 'auth',
  fields: [
    { name: 'id', type: 'text', hidden: false },
    { name: 'email', type: 'email', hidden: false },
    { name: 'name', type: 'text', hidden: false },
    { name: 'tokenKey', type: 'text', hidden: true },
  ],
  options: {
    otp: { emailTemplate: { subject: 'Code for {APP_NAME}', body: '<p>Hi {RECORD:name}{RECORD:tokenKey}, {OTP} ({OTP_ID})</p>' } },
  },
} as unknown as CollectionModel;
const record = { id: 'r1', email: 'a@example.com', name: '<b>Ann</b> & co', tokenKey: 'SECRET' };

describe('record mail templates', () => {
  it('resolves app, record and mail placeholders, escaping record values and leaving hidden fields alone', () => {
    const placeholders = recordPlaceholders(users, record, { appName: 'Acme', appURL: 'https://acme.test' }, { '{OTP}': '12345678', '{OTP_ID}': 'otp1' });
    const { subject, body } = resolveTemplate(collectionTemplate(users, 'otp'), placeholders);
    expect(subject).toBe('Code for Acme');
    expect(body).toBe('<p>Hi &lt;b&gt;Ann&lt;/b&gt; &amp; co{RECORD:tokenKey}, 12345678 (otp1)</p>');
    expect(body).not.toContain('SECRET');
  });

  it("falls back to PocketBase's default templates", () => {
    const t = collectionTemplate(users, 'verification');
    expect(t.subject).toBe('Verify your {APP_NAME} email');
    expect(t.body).toContain('{APP_URL}/_/#/auth/confirm-verification/{TOKEN}');
  });

  it('sends from settings.meta to the record email', async () => {
    const sent: MailMessage[] = [];
    const mails = new RecordMails({ send: async (m) => { sent.push(m); } }, () => ({
      meta: { appName: 'Acme', appURL: 'https://acme.test', senderName: 'Support', senderAddress: 'support@acme.test' },
    }));
    await mails.send('passwordReset', users, record, { '{TOKEN}': 'tok' });
    expect(sent[0]?.from).toEqual({ address: 'support@acme.test', name: 'Support' });
    expect(sent[0]?.to).toEqual([{ address: 'a@example.com' }]);
    expect(sent[0]?.subject).toBe('Reset your Acme password');
    expect(sent[0]?.html).toContain('https://acme.test/_/#/auth/confirm-password-reset/tok');
  });
});
