/**
 * A hash router (`#/collections/posts`): the server serves one index.html for /_/, so paths after
 * the hash never reach it. `route.path` is reactive; `navigate()` changes it.
 */
export const route = $state({ path: currentPath(), query: currentQuery() });

function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '');
  const path = hash.split('?')[0] ?? '';
  return path === '' ? '/' : path;
}

function currentQuery(): URLSearchParams {
  const hash = window.location.hash;
  const at = hash.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : hash.slice(at + 1));
}

window.addEventListener('hashchange', () => {
  route.path = currentPath();
  route.query = currentQuery();
});

/** Goes to `path` (`/collections/posts`, optionally with `?query`). */
export function navigate(path: string, replace = false): void {
  const target = `#${path}`;
  if (replace) {
    history.replaceState(null, '', target);
    route.path = currentPath();
    route.query = currentQuery();
  } else {
    window.location.hash = target;
  }
}

/**
 * Replaces the route with `path` only while the location is still `from`. A page that redirects
 * once its data has loaded (the collections index to the first collection) must not undo a
 * navigation the user made meanwhile, even one whose `hashchange` has not been dispatched yet.
 */
export function redirectFrom(from: string, path: string): void {
  if (currentPath() === from) navigate(path, true);
}

/** Matches `pattern` (`/collections/:name/schema`) against a path; the params, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

/** A link's href for `path`. */
export const href = (path: string): string => `#${path}`;
