import type { CollectionModel } from '../collections/collection-model.js';
import type { RecordData } from '../request-info.js';
import type { Mailer } from './mailer.js';
import { collectionTemplate, recordPlaceholders, resolveTemplate, type RecordMailKind } from './mail-templates.js';

/** `settings.meta`, the part of the settings mails need. */
export interface MailMeta {
  appName: string;
  appURL: string;
  senderName: string;
  senderAddress: string;
}

/** Reads `settings.meta` with PocketBase's defaults. */
function readMailMeta(settings: Record<string, unknown>): MailMeta {
  const m = settings.meta && typeof settings.meta === 'object' ? (settings.meta as Record<string, unknown>) : {};
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
  return {
    appName: str(m.appName, 'Acme'),
    appURL: str(m.appURL, 'http://localhost:8090'),
    senderName: str(m.senderName, 'Support'),
    senderAddress: str(m.senderAddress, 'support@example.com'),
  };
}

/**
 * Renders and sends the mails of auth records (verification, password reset, email change, OTP,
 * new-location alert) from the collection's templates, with the sender from `settings.meta`.
 */
export class RecordMails {
  readonly #mailer: Mailer;
  readonly #settings: () => Record<string, unknown>;

  constructor(mailer: Mailer, settings: () => Record<string, unknown>) {
    this.#mailer = mailer;
    this.#settings = settings;
  }

  /** Sends the `kind` mail of `record` to `to` (the record's email unless told otherwise). */
  async send(
    kind: RecordMailKind,
    collection: CollectionModel,
    record: RecordData,
    placeholders: Record<string, string>,
    to = typeof record.email === 'string' ? record.email : '',
  ): Promise<void> {
    if (!to) throw new Error(`the ${collection.name} record ${record.id} has no email to send the ${kind} mail to`);
    const meta = readMailMeta(this.#settings());
    const all = recordPlaceholders(collection, record, meta, placeholders);
    const { subject, body } = resolveTemplate(collectionTemplate(collection, kind), all);
    await this.#mailer.send({
      from: { address: meta.senderAddress, name: meta.senderName },
      to: [{ address: to }],
      subject,
      html: body,
      kind,
    });
  }
}
