import { deepMerge } from '../collections/auth-options.js';
import { defaultSettings, type Settings } from './settings-defaults.js';

export type { Settings };

/** Where the settings object lives (PocketBase: the `_params` row `settings`). */
export interface SettingsRepository {
  /** The stored settings JSON, or null when none was saved yet. */
  load(): Promise<Settings | null>;
  save(settings: Settings): Promise<void>;
}

/**
 * The application settings: PocketBase's settings object, stored values merged over the defaults
 * and kept in memory. HTTP exposure (with secret redaction) belongs to the settings API.
 */
export class SettingsService {
  #current: Settings = defaultSettings();

  constructor(private readonly repository: SettingsRepository) {}

  /** Reads the stored settings (call once at start-up, and after a change from another node). */
  async load(): Promise<Settings> {
    const stored = await this.repository.load();
    this.#current = stored ? deepMerge(defaultSettings(), stored) : defaultSettings();
    return this.get();
  }

  /** A copy of the current settings. */
  get(): Settings {
    return structuredClone(this.#current);
  }

  /** Merges `patch` (nested objects key by key, arrays replaced) and persists the result. */
  async save(patch: Settings): Promise<Settings> {
    const next = deepMerge(this.#current, patch);
    await this.repository.save(next);
    this.#current = next;
    return this.get();
  }
}
