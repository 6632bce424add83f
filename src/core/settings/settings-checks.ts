import type { FileStorage } from '../files/file-storage.js';
import { errors } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';
import { EMAIL_FORMAT } from '../auth/auth-forms.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import type { RecordMailKind } from '../mail/mail-templates.js';
import { RecordMails } from '../mail/record-mails.js';
import type { Mailer } from '../mail/mailer.js';
import type { Settings } from './settings-defaults.js';

/** PocketBase's test email templates and the mail each one sends. */
const TEMPLATES: Record<string, RecordMailKind> = {
  verification: 'verification',
  'password-reset': 'passwordReset',
  'email-change': 'emailChange',
  otp: 'otp',
  'login-alert': 'authAlert',
};

export interface SettingsChecksOptions {
  schema: SchemaRegistry;
  settings: () => Settings;
  mailer: Mailer;
  /** Opens an S3 storage for a settings `s3` group (`settings.s3` or `settings.backups.s3`). */
  openS3: (s3: Record<string, unknown>) => FileStorage;
}

/** `POST /api/settings/test/email` and `/test/s3`: exercise the configured services. */
export class SettingsChecks {
  constructor(private readonly o: SettingsChecksOptions) {}

  async testEmail(body: Record<string, unknown>): Promise<void> {
    const email = typeof body.email === 'string' ? body.email : '';
    const template = typeof body.template === 'string' ? body.template : '';
    const collectionName = typeof body.collection === 'string' && body.collection !== '' ? body.collection : '_superusers';
    const data: Record<string, ReturnType<typeof ozzo.required>> = {};
    if (email === '') data.email = ozzo.required();
    else if (!EMAIL_FORMAT.test(email)) data.email = ozzo.isEmail();
    if (template === '') data.template = ozzo.required();
    else if (!(template in TEMPLATES)) data.template = ozzo.in();
    const collection = this.o.schema.find(collectionName);
    if (!collection || collection.type !== 'auth') data.collection = { code: 'validation_invalid_collection', message: 'Missing or invalid auth collection.' };
    if (Object.keys(data).length > 0 || !collection) throw errors.badRequest('Failed to send the test email.', data);
    const mails = new RecordMails(this.o.mailer, this.o.settings);
    const record = { id: '__pbTestRecordId__', email, collectionId: collection.id, collectionName: collection.name };
    const placeholders = { TOKEN: '__pbTestToken__', OTP: '123456', OTP_ID: '__pbTestOTPId__', ALERT_INFO: 'Test alert info' };
    try {
      await mails.send(TEMPLATES[template] ?? 'verification', collection, record, placeholders, email);
    } catch (err) {
      throw errors.badRequest(`Failed to send the test email. Raw error: \n${(err as Error).message}`, {}, err);
    }
  }

  async testS3(body: Record<string, unknown>): Promise<void> {
    const filesystem = typeof body.filesystem === 'string' ? body.filesystem : '';
    if (filesystem !== 'storage' && filesystem !== 'backups') {
      throw errors.badRequest('Failed to test the S3 filesystem.', { filesystem: filesystem === '' ? ozzo.required() : ozzo.in() });
    }
    const settings = this.o.settings();
    const group = filesystem === 'storage' ? settings.s3 : (settings.backups as Record<string, unknown> | undefined)?.s3;
    const s3 = group && typeof group === 'object' ? (group as Record<string, unknown>) : {};
    if (s3.enabled !== true) throw errors.badRequest('S3 storage filesystem is not enabled.');
    const storage = this.o.openS3(s3);
    const key = `pb_settings_test_${Date.now()}.txt`;
    try {
      await storage.write(key, new TextEncoder().encode('test'), { contentType: 'text/plain' });
      await storage.delete(key);
    } catch (err) {
      throw errors.badRequest(`Failed to test the S3 filesystem. Raw error: \n${(err as Error).message}`, {}, err);
    } finally {
      await storage.close?.();
    }
  }
}
