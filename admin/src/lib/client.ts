import PocketBase, { ClientResponseError, LocalAuthStore } from 'pocketbase';

/**
 * The one API client of the admin UI: the official `pocketbase` SDK over Plinth's public API, on
 * the origin that served the page. The session lives in localStorage under its own key, so a
 * reload keeps the superuser signed in and an app's own SDK session on the same origin is untouched.
 */
export const pb = new PocketBase('/', new LocalAuthStore('plinth_admin_auth'));
pb.autoCancellation(false);

export { ClientResponseError };

/** The API's message for a failed call (the envelope's `message`), or the error's own text. */
export function errorMessage(err: unknown): string {
  if (err instanceof ClientResponseError) {
    if (err.status === 0) return 'The server could not be reached.';
    const message = (err.response as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' && message !== '' ? message : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Field errors of a failed call, `{field: message}`; nested keys are joined with dots (`fields.2.name`). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ClientResponseError)) return out;
  const walk = (data: unknown, prefix: string): void => {
    if (!data || typeof data !== 'object') return;
    const entry = data as { message?: unknown; code?: unknown };
    if (typeof entry.message === 'string' && typeof entry.code === 'string') {
      out[prefix] = entry.message;
      return;
    }
    for (const [key, value] of Object.entries(data)) walk(value, prefix ? `${prefix}.${key}` : key);
  };
  walk((err.response as { data?: unknown } | undefined)?.data, '');
  return out;
}
