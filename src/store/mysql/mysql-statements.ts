/**
 * Splits a script into statements at top-level `;`, skipping quoted text (`'…'`, `"…"`, `` `…` ``,
 * with doubled quotes and — unless the session has NO_BACKSLASH_ESCAPES — backslash escapes) and
 * comments (`-- `, `#`, `/* *\/`). Used by `exec` inside a transaction, where the connection was
 * opened without `multipleStatements`.
 */
export function splitStatements(script: string, backslashEscapes = false): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const stmt = script.slice(start, end).trim();
    if (stmt !== '') out.push(stmt);
  };
  while (i < script.length) {
    const c = script[i] ?? '';
    const next = script[i + 1];
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < script.length) {
        const d = script[i];
        if (backslashEscapes && d === '\\' && c !== '`') i += 2;
        else if (d === c && script[i + 1] === c) i += 2;
        else if (d === c) break;
        else i++;
      }
      i++;
    } else if ((c === '-' && next === '-' && /\s/.test(script[i + 2] ?? ' ')) || c === '#') {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? script.length : nl;
    } else if (c === '/' && next === '*') {
      const close = script.indexOf('*/', i + 2);
      i = close < 0 ? script.length : close + 2;
    } else if (c === ';') {
      push(i);
      start = ++i;
    } else {
      i++;
    }
  }
  push(script.length);
  return out;
}
