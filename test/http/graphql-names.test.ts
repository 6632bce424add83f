/** How collections become GraphQL names: valid, stable, and never colliding. */
import { describe, expect, it } from 'vitest';
import type { CollectionModel } from '../../src/core/collections/collection-model.js';
import { assignNames, graphqlName, pascalCase } from '../../src/http/graphql/graphql-names.js';

const collection = (id: string, name: string): CollectionModel => ({
  id, name, type: 'base', system: false, fields: [], indexes: [], options: {}, created: '', updated: '',
  listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null,
});

describe('GraphQL names', () => {
  it.each([
    ['posts', 'posts'], ['1st', '_1st'], ['__hidden', 'f__hidden'], ['a-b', 'a_b'],
  ])('graphqlName(%s) = %s', (input, expected) => {
    expect(graphqlName(input)).toBe(expected);
    expect(graphqlName(input)).toMatch(/^[_A-Za-z][_0-9A-Za-z]*$/);
  });

  it.each([
    ['posts', 'Posts'], ['post_tags', 'PostTags'], ['_superusers', 'Superusers'], ['9lives', '_9lives'],
  ])('pascalCase(%s) = %s', (input, expected) => {
    expect(pascalCase(input)).toBe(expected);
  });

  it('gives a collection whose names would collide its id as a suffix', () => {
    const names = assignNames([collection('c1', 'post_tags'), collection('c2', 'postTags'), collection('c3', 'posts'), collection('c4', 'posts_list')]);
    expect(names.get('c2')?.type).toBe('PostTags');
    expect(names.get('c1')?.type).toBe('PostTags_c1');
    expect(names.get('c3')?.type).toBe('Posts');
    // PostsList is the list type of `posts`
    expect(names.get('c4')?.type).toBe('PostsList_c4');
    const types = [...names.values()].map((n) => n.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it('never takes a built-in type name', () => {
    const names = assignNames([collection('q1', 'query'), collection('j1', 'json'), collection('b1', 'batch')]);
    expect(names.get('q1')?.type).toBe('Query_q1');
    expect(names.get('j1')?.type).toBe('Json'); // names are case-sensitive: JSON is the scalar
    expect(names.get('b1')?.list).toBe('batch_b1');
  });
});
