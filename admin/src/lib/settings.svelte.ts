import { pb, errorMessage, fieldErrors } from './client';
import { toast } from './toasts.svelte';

/** `GET /api/settings` as the UI edits it: groups of plain values (secrets are never sent back). */
export type SettingsData = Record<string, Record<string, unknown> | unknown[]>;

/**
 * One settings form's state: the loaded values, the API's field errors (`smtp.port`) and a busy
 * flag. `save(patch)` sends only the groups given, so an untouched secret is never overwritten.
 */
export class SettingsForm {
  data = $state<SettingsData | null>(null);
  errors = $state<Record<string, string>>({});
  error = $state('');
  busy = $state(false);

  async load(): Promise<void> {
    this.error = '';
    try {
      this.data = (await pb.settings.getAll()) as SettingsData;
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Saves `patch`; true on success (with a toast), false with the errors shown next to the fields. */
  async save(patch: Record<string, unknown>): Promise<boolean> {
    this.busy = true;
    this.errors = {};
    this.error = '';
    try {
      this.data = (await pb.settings.update(patch)) as SettingsData;
      toast('Settings saved.');
      return true;
    } catch (err) {
      this.errors = fieldErrors(err);
      this.error = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** Splits a comma or newline separated list (`X-Forwarded-For, X-Real-IP`) into trimmed items. */
export function splitList(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');
}
