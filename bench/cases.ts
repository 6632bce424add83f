// The benchmark's requests (bench/README.md, "What it does"): one table for bench/run.ts and
// bench/ab.ts, so that both load the servers the same way.
import { randomInt } from 'node:crypto';
import type { AutocannonRequest } from 'autocannon';
import { MAX_VIEWS, TAGS, USER_PASSWORD, type SeedResult } from './seed.js';

/** What the requests draw from: ids and emails of the seeded data, and auth tokens (refresh). */
export interface Ctx {
  seed: SeedResult;
  tokens: string[];
}
/** One benchmark case: the request autocannon sends, drawn afresh for every request. */
export interface Case {
  key: string;
  title: string;
  /** Shortest measured run for this case in seconds (slow cases need longer to say anything). */
  minDuration?: number;
  /** Connections for this case when not the common `--connections` (bcrypt-bound cases only queue). */
  connections?: number;
  request: (ctx: Ctx) => AutocannonRequest;
}

const pick = <T>(list: readonly T[]): T => list[randomInt(0, list.length)] as T;
const json = { 'content-type': 'application/json' };

/** The benchmark's cases, shared by `run.ts` and `ab.ts`. */
export const CASES: Case[] = [
  {
    key: 'get', title: 'get one record by random id',
    request: ({ seed }) => ({ method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/collections/posts/records/${pick(seed.postIds)}` }) }),
  },
  {
    key: 'list', title: 'list 20, filter=views>X, sort=-views, skipTotal=1',
    request: () => ({
      method: 'GET',
      setupRequest: (r) => ({ ...r, path: `/api/collections/posts/records?perPage=20&filter=${encodeURIComponent(`views>${randomInt(0, MAX_VIEWS * 0.9)}`)}&sort=-views&skipTotal=1` }),
    }),
  },
  {
    key: 'expand', title: 'list 20 as above + expand=author',
    request: () => ({
      method: 'GET',
      setupRequest: (r) => ({ ...r, path: `/api/collections/posts/records?perPage=20&filter=${encodeURIComponent(`views>${randomInt(0, MAX_VIEWS * 0.9)}`)}&sort=-views&skipTotal=1&expand=author` }),
    }),
  },
  {
    key: 'create', title: 'create a record (JSON body, relation checked)',
    request: ({ seed }) => ({
      method: 'POST', path: '/api/collections/posts/records', headers: json,
      setupRequest: (r) => ({ ...r, body: JSON.stringify({ title: `Bench post ${randomInt(0, 1e9)}`, views: randomInt(0, MAX_VIEWS), author: pick(seed.userIds), tags: [pick(TAGS), pick(TAGS)].filter((t, i, a) => a.indexOf(t) === i) }) }),
    }),
  },
  {
    key: 'update', title: 'update a record by random id (title, views)',
    request: ({ seed }) => ({
      method: 'PATCH', headers: json,
      setupRequest: (r) => ({ ...r, path: `/api/collections/posts/records/${pick(seed.postIds)}`, body: JSON.stringify({ title: `Updated ${randomInt(0, 1e9)}`, views: randomInt(0, MAX_VIEWS) }) }),
    }),
  },
  {
    key: 'auth', title: 'auth-with-password (bcrypt cost 10, 8 connections)', minDuration: 5, connections: 8,
    request: ({ seed }) => ({
      method: 'POST', path: '/api/collections/users/auth-with-password', headers: json,
      setupRequest: (r) => ({ ...r, body: JSON.stringify({ identity: pick(seed.userEmails), password: USER_PASSWORD }) }),
    }),
  },
  {
    key: 'refresh', title: 'auth-refresh',
    request: ({ tokens }) => ({
      method: 'POST', path: '/api/collections/users/auth-refresh',
      setupRequest: (r) => ({ ...r, headers: { authorization: pick(tokens) } }),
    }),
  },
];
