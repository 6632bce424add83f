/**
 * Small hand-made SVG marks for the OAuth2 provider presets (simple shapes and initials, not the
 * vendors' artwork). Served inline, as PocketBase does, so the admin UI needs no extra request.
 */
function mark(background: string, text: string, color = '#fff'): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${background}"/>`
    + `<text x="16" y="21.5" font-family="Arial,Helvetica,sans-serif" font-size="15" font-weight="700" fill="${color}" text-anchor="middle">${text}</text></svg>`;
}

const OIDC = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="12" fill="none" stroke="#f78c40" stroke-width="4"/>'
  + '<path d="M14 4v24" stroke="#b2b2b2" stroke-width="4"/></svg>';

/** Logo per provider name; providers without an entry answer an empty string. */
export const PROVIDER_LOGOS: Readonly<Record<string, string>> = {
  apple: mark('#000', 'A'),
  bitbucket: mark('#2684ff', 'B'),
  discord: mark('#5865f2', 'D'),
  facebook: mark('#1877f2', 'f'),
  gitea: mark('#609926', 'G'),
  github: mark('#181717', 'GH'),
  gitlab: mark('#fc6d26', 'GL'),
  google: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#fff" stroke="#ddd"/>'
    + '<path d="M16 9.5a6.5 6.5 0 1 0 6.3 8H16v-3h9.6a9.6 9.6 0 1 1-3-7.1l-2.2 2.2A6.5 6.5 0 0 0 16 9.5z" fill="#4285f4"/></svg>',
  microsoft: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#f25022" d="M2 2h13v13H2z"/>'
    + '<path fill="#7fba00" d="M17 2h13v13H17z"/><path fill="#00a4ef" d="M2 17h13v13H2z"/><path fill="#ffb900" d="M17 17h13v13H17z"/></svg>',
  oidc: OIDC,
  oidc2: OIDC,
  oidc3: OIDC,
  patreon: mark('#000', 'P'),
  spotify: mark('#1db954', 'S'),
  strava: mark('#fc4c02', 'S'),
  twitch: mark('#9146ff', 'T'),
  twitter: mark('#000', 'X'),
  yandex: mark('#fc3f1d', 'Y'),
};
