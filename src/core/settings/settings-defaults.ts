/** PocketBase's settings object with its defaults (v0.23+ shape, as stored in `_params`). */
export type Settings = Record<string, unknown>;

function s3Defaults(): Record<string, unknown> {
  return { enabled: false, bucket: '', region: '', endpoint: '', accessKey: '', secret: '', forcePathStyle: false };
}

/** A fresh copy of the default settings. */
export function defaultSettings(): Settings {
  return {
    meta: {
      appName: 'Acme',
      appURL: 'http://localhost:8090',
      senderName: 'Support',
      senderAddress: 'support@example.com',
      hideControls: false,
    },
    logs: { maxDays: 5, minLevel: 0, logIP: true, logAuthId: false },
    smtp: { enabled: false, port: 587, host: 'smtp.example.com', username: '', password: '', authMethod: '', tls: false, localName: '' },
    s3: s3Defaults(),
    backups: { cron: '', cronMaxKeep: 3, s3: s3Defaults() },
    batch: { enabled: false, maxRequests: 50, timeout: 3, maxBodySize: 0 },
    rateLimits: {
      rules: [
        { label: '*:auth', audience: '', duration: 3, maxRequests: 2 },
        { label: '*:create', audience: '', duration: 5, maxRequests: 20 },
        { label: '/api/batch', audience: '', duration: 1, maxRequests: 3 },
        { label: '/api/', audience: '', duration: 10, maxRequests: 300 },
      ],
      excludedIPs: [],
      enabled: false,
    },
    trustedProxy: { headers: [], useLeftmostIP: false },
    superuserIPs: [],
    // Plinth's GraphQL API (docs/graphql.md): introspection for non-superusers and abuse limits
    // Plinth's response cache of guest list/view answers (docs/scaling.md)
    cache: { enabled: false, maxEntries: 1000 },
    graphql: { enabled: true, introspection: true, maxDepth: 16, maxAliases: 30, maxCost: 25_000, maxBatch: 10 },
  };
}
