/** PocketBase conformance on SQLite (see conformance-suite.ts). */
import { defineConformanceSuite } from './conformance-suite.js';

await defineConformanceSuite('PocketBase conformance suite', ['sqlite']);
