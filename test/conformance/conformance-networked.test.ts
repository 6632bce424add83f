/**
 * PocketBase conformance on PostgreSQL, with the fixture imported (see conformance-suite.ts). A file
 * of its own so that it runs beside the SQLite one. MySQL/MariaDB only with
 * PLINTH_CONFORMANCE_MYSQL=1: its DDL is slow (a fixture clone costs about 2 s, so 288 scenarios
 * take about 10 minutes); every API test file runs on it instead.
 */
import { defineConformanceSuite } from './conformance-suite.js';

await defineConformanceSuite('PocketBase conformance (networked)', process.env.PLINTH_CONFORMANCE_MYSQL === '1' ? ['postgres', 'mysql'] : ['postgres']);
