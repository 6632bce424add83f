import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.js';
import { dialectTargets, type TestDb } from './dialect-fixture.js';
import { loadFilterFixture, queryIds } from './filter-dialect-fixture.js';
import { FILTER_SCENARIOS, SORT_SCENARIOS } from './filter-scenarios.js';

const targets = await dialectTargets('filter compiler dialect matrix');

for (const target of targets) {
  describe.skipIf(!target.open)(`filter compiler on ${target.name}`, () => {
    let handle: TestDb;
    let db: Db;
    beforeAll(async () => {
      if (!target.open) return;
      handle = await target.open();
      db = handle.db;
      await loadFilterFixture(db);
    });
    afterAll(async () => {
      await handle?.dispose();
    });

    for (const group of FILTER_SCENARIOS) {
      describe(group.title, () => {
        it.each(group.cases)('%s', async (filter, expected) => {
          expect(await queryIds(db, filter, group.options)).toEqual(expected);
        });
      });
    }

    describe('sort', () => {
      it.each(SORT_SCENARIOS)('%s', async (sort, expected, options) => {
        expect(await queryIds(db, '', { ...options, sort })).toEqual(expected);
      });

      it('@random returns every row', async () => {
        expect((await queryIds(db, '', { sort: '@random' })).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
      });
    });

    it('leaves the data intact after the injection strings', async () => {
      const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${db.dialect.quote('posts')}`);
      expect(row?.n).toBe(4);
    });
  });
}
