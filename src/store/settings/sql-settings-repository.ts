import { nowDateTime } from '../../core/collections/collection-ids.js';
import type { Settings, SettingsRepository } from '../../core/settings/settings-service.js';
import type { Db } from '../db.js';

const SETTINGS_ID = 'settings';

/** The settings as PocketBase stores them: JSON text in the `_params` row with id `settings`. */
export class SqlSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Db) {}

  async load(): Promise<Settings | null> {
    const row = await this.db.get<{ value: string | null }>('SELECT `value` FROM `_params` WHERE id = ?', [SETTINGS_ID]);
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
    await this.db.run(
      'INSERT INTO `_params` (id, value, created, updated) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET value = excluded.value, updated = excluded.updated',
      [SETTINGS_ID, JSON.stringify(settings), now, now],
    );
  }
}
