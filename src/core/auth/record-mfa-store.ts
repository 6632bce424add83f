import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors } from '../errors/plinth-error.js';
import type { RecordData } from '../request-info.js';
import type { AuthRecordPort, AuthRecordWriter, MfaSession, MfaStore } from './auth-ports.js';

/** PocketBase's system collection of MFA sessions. */
export const MFAS_COLLECTION = '_mfas';

function toSession(record: RecordData): MfaSession {
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : '');
  return { id: record.id, collectionRef: text('collectionRef'), recordRef: text('recordRef'), method: text('method'), created: text('created') };
}

/** MFA sessions stored as `_mfas` records through the records service (no SQL of its own). */
export class RecordMfaStore implements MfaStore {
  readonly #schema: SchemaRegistry;
  readonly #records: AuthRecordPort & AuthRecordWriter;

  constructor(schema: SchemaRegistry, records: AuthRecordPort & AuthRecordWriter) {
    this.#schema = schema;
    this.#records = records;
  }

  async create(session: Omit<MfaSession, 'id' | 'created'>): Promise<MfaSession> {
    const record = await this.#records.createSystem(this.#collection(), { ...session });
    return toSession(record);
  }

  async find(id: string): Promise<MfaSession | null> {
    if (!id) return null;
    const record = await this.#records.findById(this.#collection(), id);
    return record ? toSession(record) : null;
  }

  async delete(id: string): Promise<void> {
    await this.#records.deleteSystem(this.#collection(), id);
  }

  #collection() {
    const collection = this.#schema.find(MFAS_COLLECTION);
    if (!collection) throw errors.internal(new Error('the _mfas collection is missing'));
    return collection;
  }
}
