import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogMailer } from '../../../src/adapters/mail/log-mailer.js';
import { SettingsMailer } from '../../../src/adapters/mail/settings-mailer.js';
import { htmlToText } from '../../../src/adapters/mail/html-to-text.js';
import { startMailServer, type TestMailServer } from '../../helpers/mail-server.js';

const message = {
  from: { address: 'support@acme.test', name: 'Acme' },
  to: [{ address: 'ann@example.com' }],
  subject: 'Hello',
  html: '<p>Click <a href="https://acme.test/x?a=1&amp;b=2">here</a>.</p><p>Thanks,<br/>Acme</p>',
  kind: 'verification',
};

let smtp: TestMailServer;
beforeAll(async () => {
  smtp = await startMailServer();
});
afterAll(async () => {
  await smtp?.close();
});

describe('mailers', () => {
  it('writes mails to the log while SMTP is off, and sends through SMTP once enabled', async () => {
    const lines: string[] = [];
    let settings: Record<string, unknown> = { smtp: { enabled: false } };
    const mailer = new SettingsMailer(() => settings, new LogMailer((text) => lines.push(text)));
    await mailer.send(message);
    expect(lines[0]).toContain('To: ann@example.com');
    expect(lines[0]).toContain('here (https://acme.test/x?a=1&b=2)');
    expect(smtp.mails).toHaveLength(0);

    settings = { smtp: { enabled: true, host: '127.0.0.1', port: smtp.port, username: '', password: '', tls: false } };
    await mailer.send(message);
    const mail = await smtp.waitFor((m) => m.to.includes('ann@example.com'));
    expect(mail.from).toBe('support@acme.test');
    expect(mail.subject).toBe('Hello');
    expect(mail.body).toContain('https://acme.test/x?a=1&amp;b=2');
    mailer.close();
  });

  it('derives a readable text part from HTML', () => {
    expect(htmlToText(message.html)).toBe('Click here (https://acme.test/x?a=1&b=2).\nThanks,\nAcme');
  });
});
