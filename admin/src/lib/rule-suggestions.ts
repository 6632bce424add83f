import type { CollectionModel } from 'pocketbase';

const MACROS = ['@now', '@second', '@minute', '@hour', '@weekday', '@day', '@month', '@year', '@yesterday', '@tomorrow', '@todayStart', '@todayEnd', '@monthStart', '@monthEnd', '@yearStart', '@yearEnd'];
const MODIFIERS = ['isset', 'changed', 'length', 'each', 'lower'];
const REQUEST = ['@request.auth.', '@request.body.', '@request.query.', '@request.headers.', '@request.method', '@request.context', '@collection.'];

/** Every name a rule of `collection` can use, for autocompletion: fields, relation paths, `@request.*`, `@collection.*`, macros. */
export function ruleVocabulary(collection: { fields: Array<{ name: string; type: string; collectionId?: unknown }> }, all: CollectionModel[]): string[] {
  const words = new Set<string>();
  const fieldNames = (c: { fields: Array<{ name: string }> }) => c.fields.map((f) => f.name).filter((n) => n !== '');
  for (const f of collection.fields) {
    if (!f.name) continue;
    words.add(f.name);
    if (f.type === 'relation') {
      const target = all.find((c) => c.id === f.collectionId);
      if (target) for (const sub of fieldNames(target)) words.add(`${f.name}.${sub}`);
    }
  }
  for (const name of fieldNames(collection)) words.add(`@request.body.${name}`);
  for (const auth of all.filter((c) => c.type === 'auth' && c.name !== '_superusers')) {
    for (const name of fieldNames(auth)) if (name !== 'password' && name !== 'tokenKey') words.add(`@request.auth.${name}`);
  }
  words.add('@request.auth.id');
  words.add('@request.auth.collectionName');
  for (const c of all) for (const name of fieldNames(c)) words.add(`@collection.${c.name}.${name}`);
  for (const w of [...REQUEST, ...MACROS]) words.add(w);
  return [...words];
}

/** The word being typed at `caret` (`author.na`, `@request.au`, `title:`). */
export function wordAt(text: string, caret: number): { start: number; word: string } {
  const before = text.slice(0, caret);
  const match = /[@\w.:]*$/.exec(before);
  const word = match?.[0] ?? '';
  return { start: caret - word.length, word };
}

/** Suggestions for `word`: matching names, or the modifiers after a `:`. At most `limit`. */
export function suggest(word: string, vocabulary: string[], limit = 8): string[] {
  if (word === '') return [];
  const colon = word.lastIndexOf(':');
  if (colon !== -1) {
    const base = word.slice(0, colon);
    const partial = word.slice(colon + 1);
    return MODIFIERS.filter((m) => m.startsWith(partial)).map((m) => `${base}:${m}`).slice(0, limit);
  }
  const lower = word.toLowerCase();
  const starts = vocabulary.filter((w) => w.toLowerCase().startsWith(lower) && w !== word);
  const contains = vocabulary.filter((w) => !w.toLowerCase().startsWith(lower) && w.toLowerCase().includes(lower));
  return [...starts, ...contains].slice(0, limit);
}
