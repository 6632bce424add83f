/**
 * PocketBase conformance on PostgreSQL and MySQL/MariaDB, with the fixture imported by `plinth
 * import`'s code (see conformance-suite.ts). A file of its own so that it runs beside the SQLite one
 * on another worker. Each scenario gets a server-side clone of a per-worker template (~0.2 s).
 */
import { defineConformanceSuite } from './conformance-suite.js';

await defineConformanceSuite('PocketBase conformance (networked)', ['postgres', 'mysql']);
