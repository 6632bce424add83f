/**
 * A parsed `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (columns) [WHERE expr]` statement.
 * Collection indexes are stored as SQL text; they are parsed, checked against the schema and
 * re-rendered before they ever reach the database (never executed as submitted).
 */
export interface IndexColumn {
  /** An identifier, or an expression when it contains `(` or a space. */
  name: string;
  collate: string;
  sort: '' | 'ASC' | 'DESC';
}

export interface ParsedIndex {
  unique: boolean;
  optional: boolean;
  schemaName: string;
  indexName: string;
  tableName: string;
  columns: IndexColumn[];
  where: string;
}

const INDEX_RE = /^\s*create\s+(unique\s+)?\s*index\s*(if\s+not\s+exists\s+)?(\S*)\s+on\s+(\S*)\s*\(([\s\S]*)\)(?:\s*where\s+([\s\S]*))?$/i;
const COLUMN_RE = /^([\s\S]+?)(?:\s+collate\s+(\w+))?(?:\s+(asc|desc))?$/i;
const TRIM_CHARS = '`"\'[]\r\n\t\f\v ';

/** Strips any of `chars` (default: quotes, brackets and whitespace) from both ends of `value`. */
export function trimChars(value: string, chars = TRIM_CHARS): string {
  let start = 0;
  let end = value.length;
  while (start < end && chars.includes(value[start] as string)) start++;
  while (end > start && chars.includes(value[end - 1] as string)) end--;
  return value.slice(start, end);
}

/**
 * Cuts `text` at the characters for which `isSeparator` holds, outside quotes and parentheses.
 * By default the parts between separators are returned, empty ones included; with
 * `keepSeparators`, each separator is a token of its own and empty parts are dropped.
 */
export function scanTopLevel(text: string, isSeparator: (ch: string) => boolean, keepSeparators = false): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const ch of text) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (depth === 0 && isSeparator(ch)) {
      if (!keepSeparators) parts.push(current);
      else {
        if (current) parts.push(current);
        parts.push(ch);
      }
      current = '';
      continue;
    }
    current += ch;
  }
  if (!keepSeparators || current) parts.push(current);
  return parts;
}

/** Splits on `separator` outside quotes and parentheses. */
export function splitTopLevel(text: string, separator: string): string[] {
  return scanTopLevel(text, (ch) => ch === separator);
}

/** Parses an index statement; invalid statements give an index for which `isValidIndex` is false. */
export function parseIndex(statement: string): ParsedIndex {
  const result: ParsedIndex = { unique: false, optional: false, schemaName: '', indexName: '', tableName: '', columns: [], where: '' };
  const match = INDEX_RE.exec(statement);
  if (!match) return result;
  result.unique = (match[1] ?? '').trim() !== '';
  result.optional = (match[2] ?? '').trim() !== '';
  const nameParts = splitTopLevel(match[3] ?? '', '.');
  if (nameParts.length === 2) {
    result.schemaName = trimChars(nameParts[0] ?? '');
    result.indexName = trimChars(nameParts[1] ?? '');
  } else {
    result.indexName = trimChars(nameParts[0] ?? '');
  }
  result.tableName = trimChars(match[4] ?? '');
  for (const raw of splitTopLevel(match[5] ?? '', ',')) {
    const col = COLUMN_RE.exec(raw.trim());
    if (!col) continue;
    const name = trimChars(col[1] ?? '');
    if (name === '') continue;
    result.columns.push({ name, collate: (col[2] ?? '').trim(), sort: (col[3] ?? '').toUpperCase() as IndexColumn['sort'] });
  }
  result.where = (match[6] ?? '').trim();
  return result;
}

export function isValidIndex(index: ParsedIndex): boolean {
  return index.indexName !== '' && index.tableName !== '' && index.columns.length > 0;
}

/** Whether a column entry is an expression rather than a plain column name. */
export function isIndexExpression(column: IndexColumn): boolean {
  return column.name.includes('(') || column.name.includes(' ');
}

/** Renders an index back to SQL in PocketBase's canonical form (backtick-quoted identifiers). */
export function buildIndex(index: ParsedIndex): string {
  if (!isValidIndex(index)) return '';
  let sql = 'CREATE ';
  if (index.unique) sql += 'UNIQUE ';
  sql += 'INDEX ';
  if (index.optional) sql += 'IF NOT EXISTS ';
  if (index.schemaName) sql += `\`${index.schemaName}\`.`;
  sql += `\`${index.indexName}\` ON \`${index.tableName}\` (`;
  const cols = index.columns
    .filter((c) => c.name.trim() !== '')
    .map((c) => {
      let part = isIndexExpression(c) ? c.name.trim() : `\`${c.name.trim()}\``;
      if (c.collate) part += ` COLLATE ${c.collate}`;
      if (c.sort) part += ` ${c.sort}`;
      return part;
    });
  sql += cols.length > 1 ? `\n  ${cols.join(',\n  ')}\n` : cols.join('');
  sql += ')';
  if (index.where) sql += ` WHERE ${index.where}`;
  return sql;
}

/** Finds a single-column UNIQUE index on `column` (case-insensitive). */
export function findSingleColumnUniqueIndex(indexes: readonly string[], column: string): ParsedIndex | undefined {
  for (const raw of indexes) {
    const parsed = parseIndex(raw);
    const first = parsed.columns[0];
    if (parsed.unique && parsed.columns.length === 1 && first && first.name.toLowerCase() === column.toLowerCase()) return parsed;
  }
  return undefined;
}
