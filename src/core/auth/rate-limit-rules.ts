/** One rule of PocketBase's `rateLimits.rules`. */
export interface RateLimitRule {
  /** `users:create`, `*:auth`, `/api/batch`, `POST /api/`… (a trailing `/` makes a prefix rule). */
  label: string;
  /** `""` everyone, `@guest` requests without auth, `@auth` authenticated requests. */
  audience: string;
  /** Window in seconds. */
  duration: number;
  maxRequests: number;
}

/** PocketBase's `rateLimits` settings, plus Plinth's auth guard. */
export interface RateLimitSettings {
  enabled: boolean;
  rules: RateLimitRule[];
  excludedIPs: string[];
  /**
   * Plinth extension: the limit on the auth routes (`*:auth`) that applies while the general
   * limiter is off, so sign-in endpoints are never unlimited by default. On unless disabled.
   */
  authGuard: { enabled: boolean; duration: number; maxRequests: number };
}

function obj(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Reads `settings.rateLimits` with PocketBase's defaults and Plinth's auth guard (20 per 10 s). */
export function readRateLimits(settings: Record<string, unknown>): RateLimitSettings {
  const r = obj(settings.rateLimits);
  const rules = Array.isArray(r.rules) ? r.rules.map(obj).map((rule) => ({
    label: typeof rule.label === 'string' ? rule.label : '',
    audience: typeof rule.audience === 'string' ? rule.audience : '',
    duration: num(rule.duration, 0),
    maxRequests: num(rule.maxRequests, 0),
  })).filter((rule) => rule.label !== '' && rule.duration > 0 && rule.maxRequests > 0) : [];
  const guard = obj(r.authGuard);
  return {
    enabled: r.enabled === true,
    rules,
    excludedIPs: Array.isArray(r.excludedIPs) ? r.excludedIPs.filter((ip): ip is string => typeof ip === 'string') : [],
    authGuard: { enabled: guard.enabled !== false, duration: num(guard.duration, 10), maxRequests: num(guard.maxRequests, 20) },
  };
}

/**
 * PocketBase's `FindRateLimitRule`: for each search label in order, an exact label match (with an
 * allowed audience) wins, then the longest prefix rule (labels ending in `/`) matching it.
 * Returns the first match, or null.
 */
export function findRateLimitRule(rules: readonly RateLimitRule[], labels: readonly string[], audiences: readonly string[]): RateLimitRule | null {
  const allowed = (rule: RateLimitRule) => audiences.includes(rule.audience);
  const prefixRules = rules.filter((rule) => rule.label.endsWith('/'));
  for (const label of labels) {
    const exact = rules.find((rule) => rule.label === label && allowed(rule));
    if (exact) return exact;
    let prefix: RateLimitRule | null = null;
    for (const rule of prefixRules) {
      if ((label + '/').startsWith(rule.label) && allowed(rule) && (!prefix || rule.label.length > prefix.label.length)) prefix = rule;
    }
    if (prefix) return prefix;
  }
  return null;
}
