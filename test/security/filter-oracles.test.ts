/**
 * Filter and sort oracles: a caller who may list some records must not learn, by guessing in a
 * `filter` or ordering with `sort`, a value it may not read: a hidden field, an unverified-visible
 * email, or a field of a record another collection's rule protects, directly or through relations,
 * back-relations, `@collection`, `:each`, `?fields=` and `expand`. Every row is a pair of probes (a
 * right and a wrong guess) that must answer alike; the sources are Strapi CVE-2023-22894 (filtering
 * on `password`/reset tokens through relations), Strapi CVE-2022-30618 (private fields of related
 * users), Directus CVE-2023-28443-style field leaks and OWASP API3:2023 (broken object property level
 * authorization) / API1:2023 (BOLA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/test-server.js';
import { superuserToken, user2Token, userToken } from '../helpers/tokens.js';
import { call, closeTestDatabaseAdmins, createCollection, createRecord, expectNoOracle, listHas, projectDialect, startAttackServer } from './attack-kit.js';

const USER1 = '4q1xlclmfloku33';
const USER2 = 'oap640cot4yru2s';

let server: TestServer;
const ids: Record<string, string> = {};
const list = (collection: string, query: string, token?: string) =>
  call(server.url, 'GET', `/api/collections/${collection}/records?${query}`, { token });
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('filter and sort oracles (%s)', () => {
  beforeAll(async () => {
    server = await startAttackServer();
    const signedIn = "@request.auth.id != ''";
    const vault = await createCollection(server, {
      name: 'fo_vault', type: 'base', listRule: signedIn, viewRule: signedIn,
      fields: [
        { name: 'title', type: 'text' },
        { name: 'secret', type: 'text', hidden: true },
        { name: 'tags', type: 'select', maxSelect: 3, values: ['a', 'b', 'c'], hidden: true },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      ],
    });
    const priv = await createCollection(server, {
      name: 'fo_private', type: 'base', listRule: 'owner = @request.auth.id', viewRule: 'owner = @request.auth.id',
      fields: [
        { name: 'note', type: 'text' },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      ],
    });
    const locked = await createCollection(server, {
      name: 'fo_locked', type: 'base', listRule: null, viewRule: null,
      fields: [{ name: 'code', type: 'text' }],
    });
    await createCollection(server, {
      name: 'fo_posts', type: 'base', listRule: '', viewRule: '',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'vault', type: 'relation', collectionId: vault.id, maxSelect: 1 },
        { name: 'priv', type: 'relation', collectionId: priv.id, maxSelect: 1 },
        { name: 'privs', type: 'relation', collectionId: priv.id, maxSelect: 5 },
        { name: 'locked', type: 'relation', collectionId: locked.id, maxSelect: 1 },
        { name: 'author', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      ],
    });
    ids.v1 = await createRecord(server, 'fo_vault', { title: 'v1', secret: 'alpha', tags: ['a'], owner: USER1 });
    ids.v2 = await createRecord(server, 'fo_vault', { title: 'v2', secret: 'omega', tags: ['b', 'c'], owner: USER2 });
    ids.p2 = await createRecord(server, 'fo_private', { note: 'topsecret', owner: USER2 });
    ids.l1 = await createRecord(server, 'fo_locked', { code: 'K-1234' });
    ids.post = await createRecord(server, 'fo_posts', {
      title: 'post', vault: ids.v2, priv: ids.p2, privs: [ids.p2], locked: ids.l1, author: USER2,
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  /** [source, collection, right-guess filter, wrong-guess filter, token] */
  const filterOracles: Array<[string, string, string, string, string | undefined]> = [
    ['Strapi CVE-2023-22894: hidden field guessed by prefix', 'fo_vault', "secret ~ 'alp%'", "secret ~ 'zzz%'", userToken],
    ['Strapi CVE-2023-22894: hidden field guessed by range', 'fo_vault', "secret > 'a'", "secret > 'zzzz'", userToken],
    ['Strapi CVE-2023-22894: hidden field in a :lower modifier', 'fo_vault', "secret:lower = 'alpha'", "secret:lower = 'nope'", userToken],
    ['API3:2023 hidden select field through :each', 'fo_vault', "tags:each = 'a'", "tags:each = 'z'", userToken],
    ['API3:2023 hidden select field through :length', 'fo_vault', 'tags:length = 2', 'tags:length = 9', userToken],
    ['API3:2023 hidden select field through ?= any-of', 'fo_vault', "tags ?= 'c'", "tags ?= 'z'", userToken],
    ['Strapi CVE-2022-30618: hidden field of a related record', 'fo_posts', "vault.secret = 'omega'", "vault.secret = 'nope'", userToken],
    ['Strapi CVE-2022-30618: users.password through a relation', 'fo_posts', "author.password ~ '$2'", "author.password ~ 'zz'", userToken],
    ['Strapi CVE-2022-30618: users.tokenKey through a relation', 'fo_posts', "author.tokenKey != ''", "author.tokenKey = ''", userToken],
    ['API3:2023 email of a user with emailVisibility off, through a relation', 'fo_posts', "author.email = 'test2@example.com'", "author.email = 'x@example.com'", userToken],
    ['API1:2023 field of a record the related list rule hides', 'fo_posts', "priv.note = 'topsecret'", "priv.note = 'nope'", userToken],
    ['API1:2023 the same through a multiple relation (?= any-of)', 'fo_posts', "privs.note ?= 'topsecret'", "privs.note ?= 'nope'", userToken],
    ['API1:2023 the same as a guest', 'fo_posts', "priv.note = 'topsecret'", "priv.note = 'nope'", undefined],
    ['API1:2023 field of a superuser-only (locked) collection through a relation', 'fo_posts', "locked.code = 'K-1234'", "locked.code = 'nope'", userToken],
    ['API1:2023 back-relation into a rule-protected collection', 'users', "fo_private_via_owner.note ?= 'topsecret'", "fo_private_via_owner.note ?= 'nope'", user2Token],
    ['API1:2023 back-relation into a hidden field', 'fo_posts', "vault.owner.fo_vault_via_owner.secret ?= 'omega'", "vault.owner.fo_vault_via_owner.secret ?= 'nope'", userToken],
    ['API1:2023 @collection join on a rule-protected collection', 'fo_posts', "@collection.fo_private.note ?= 'topsecret'", "@collection.fo_private.note ?= 'nope'", userToken],
    ['API1:2023 @collection join on a locked collection', 'fo_posts', "@collection.fo_locked.code ?= 'K-1234'", "@collection.fo_locked.code ?= 'nope'", userToken],
    ['API3:2023 @collection join on a hidden field', 'fo_posts', "@collection.fo_vault.secret ?= 'omega'", "@collection.fo_vault.secret ?= 'nope'", userToken],
    ['Strapi CVE-2023-22894: @collection.users.password', 'fo_posts', "@collection.users.password ?~ '$2'", "@collection.users.password ?~ 'zz'", userToken],
    ['API3:2023 _superusers through @collection', 'fo_posts', "@collection._superusers.email ?= 'test@example.com'", "@collection._superusers.email ?= 'x@example.com'", userToken],
  ];

  it.each(filterOracles)('%s', async (_source, collection, right, wrong, token) => {
    const a = await list(collection, q({ filter: right }), token);
    const b = await list(collection, q({ filter: wrong }), token);
    expectNoOracle(a, b);
  });

  /** [source, collection, sort, token]: ascending and descending must give the same answer. */
  const sortOracles: Array<[string, string, string, string | undefined]> = [
    ['Strapi CVE-2023-22894: sort by a hidden field', 'fo_vault', 'secret', userToken],
    ['Strapi CVE-2022-30618: sort by a hidden field of a related record', 'fo_posts', 'vault.secret', userToken],
    ['API3:2023 sort by users.tokenKey through a relation', 'fo_posts', 'author.tokenKey', userToken],
  ];

  it.each(sortOracles)('%s', async (_source, collection, sort, token) => {
    const asc = await list(collection, q({ sort }), token);
    const desc = await list(collection, q({ sort: `-${sort}` }), token);
    expectNoOracle(asc, desc);
    expect(asc.status).toBe(400);
  });

  it('API3:2023 ?fields= cannot pick hidden fields, expand cannot reach rule-protected records', async () => {
    const picked = await list('fo_vault', q({ fields: 'id,secret,tags,*' }), userToken);
    expect(picked.status).toBe(200);
    expect(picked.text).not.toContain('alpha');
    expect(picked.text).not.toContain('omega');
    const expanded = await list('fo_posts', q({ expand: 'priv,privs,locked,vault,author', fields: '*,expand.priv.note,expand.vault.secret' }), userToken);
    expect(expanded.status).toBe(200);
    for (const leak of ['topsecret', 'K-1234', 'omega', 'test2@example.com']) expect(expanded.text).not.toContain(leak);
  });

  it('API3:2023 filter inside a view query (?fields with expand.*) and a back-relation expand leak nothing', async () => {
    const res = await list('users', q({ expand: 'fo_private_via_owner,fo_vault_via_owner' }), userToken);
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toContain('topsecret');
    expect(res.text).not.toContain('alpha');
  });

  it('API1:2023 a filter cannot widen the list rule (|| true)', async () => {
    const res = await list('fo_private', q({ filter: "note = 'x' || 1 = 1 || id != ''" }), userToken);
    expect(res.status).toBe(200);
    expect(listHas(res, ids.p2!)).toBe(false);
    const view = await call(server.url, 'GET', `/api/collections/fo_private/records/${ids.p2}`, { token: userToken });
    expect(view.status).toBe(404);
  });

  it('control: superusers may filter by hidden fields (PocketBase unhides for them)', async () => {
    const res = await list('fo_vault', q({ filter: "secret = 'alpha'" }), superuserToken);
    expect(res.status).toBe(200);
    expect(listHas(res, ids.v1!)).toBe(true);
  });
});
