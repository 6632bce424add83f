import { describe, expect, it } from 'vitest';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import type { CollectionRepository } from '../../../src/core/collections/collection-repository.js';
import { newCollection } from '../../../src/core/collections/collection-factory.js';
import { validateCollection, type ValidationContext } from '../../../src/core/collections/collection-validator.js';

/** A repository that accepts every rule and knows no other index. */
const repository = { checkRule: () => null, indexOwner: async () => null } as unknown as CollectionRepository;

function context(original: CollectionModel): ValidationContext {
  return { original, all: [original], repository };
}

describe('validateCollection: unique indexes of system fields', () => {
  const original = newCollection('auth', 'people', 'people_id_123');
  const emailIndex = original.indexes.find((i) => i.includes('(`email`)')) ?? '';

  it('accepts the stored indexes unchanged, and recreated under another name', async () => {
    expect((await validateCollection(structuredClone(original), context(original))).indexes).toBeUndefined();
    const renamed = structuredClone(original);
    renamed.indexes = renamed.indexes.map((i) => i.replace(/INDEX `[^`]+`/, (m) => m.replace(/`$/, '_2`')));
    expect((await validateCollection(renamed, context(original))).indexes).toBeUndefined();
  });

  it.each([
    ['made non-unique', (i: string) => i.replace('UNIQUE ', '')],
    ['widened to two columns', (i: string) => i.replace('(`email`)', '(`email`, `id`)')],
  ])('refuses the email index %s', async (_label, change) => {
    const changed = structuredClone(original);
    changed.indexes = changed.indexes.map((i) => (i === emailIndex ? change(i) : i));
    const errs = await validateCollection(changed, context(original));
    expect(errs.indexes).toEqual({
      code: 'validation_invalid_unique_system_field_index',
      message: 'Unique index definition on system fields (email) is invalid or missing.',
      params: { fieldName: 'email' },
    });
  });
});
