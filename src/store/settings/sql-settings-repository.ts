import { nowDateTime } from '../../core/collections/collection-ids.js';
import type { Settings, SettingsRepository } from '../../core/settings/settings-service.js';
import type { Db } from '../db.js';

const SETTINGS_ID = 'settings';

/** The settings as PocketBase stores them: JSON text in the `_params` row with id `settings`. */
export class SqlSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Db) {}

  async load(): Promise<Settings | null> {
    const q = (n: string) => this.db.dialect.quote(n);
    const row = await this.db.get<{ value: string | null }>(`SELECT ${q('value')} FROM ${q('_params')} WHERE id = ?`, [SETTINGS_ID]);
    if (!row || row.value === null || row.value === '') return null;
    try {
      const parsed: unknown = JSON.parse(row.value);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Settings) : null;
    } catch {
      // PocketBase can store the settings encrypted (PB_ENCRYPTION_KEY); unreadable values fall back to defaults
      return null;
    }
  }

  async save(settings: Settings): Promise<void> {
    const now = nowDateTime();
    // `created` is part of the overwrite too: it is only ever written with the first save's value
    const existing = await this.db.get<{ created: string }>(`SELECT created FROM ${this.db.dialect.quote('_params')} WHERE id = ?`, [SETTINGS_ID]);
    await this.db.run(
      this.db.dialect.upsertSql('_params', ['id', 'value', 'created', 'updated'], 'id'),
      [SETTINGS_ID, JSON.stringify(settings), existing?.created ?? now, now],
    );
  }
}
