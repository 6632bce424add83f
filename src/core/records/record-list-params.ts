import { errors } from '../errors/plinth-error.js';
import type { RecordJson } from './record-serializer.js';

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 1000;

/** Query parameters of the list endpoint (raw strings, as sent). */
export interface ListParams {
  page?: string;
  perPage?: string;
  sort?: string;
  filter?: string;
  skipTotal?: string;
  expand?: string;
  fields?: string;
  /**
   * A row offset that replaces `page` (not a REST parameter: GraphQL cursors). The answer's
   * `page` is the page the offset falls in.
   */
  offset?: number;
}

/** `expand` and `fields` of the endpoints that answer with one record. */
export interface OutputParams {
  expand?: string;
  fields?: string;
}

export interface ListResult {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: RecordJson[];
}

function intParam(value: string | undefined): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'true', 'T', 'TRUE', 'True'].includes(value);
}

/** The page (from 1), page size (default 30, at most 1000) and `skipTotal` flag of a list request. */
export function pageParams(params: ListParams): { page: number; perPage: number; offset: number; skipTotal: boolean } {
  let perPage = intParam(params.perPage);
  if (perPage <= 0) perPage = DEFAULT_PER_PAGE;
  else if (perPage > MAX_PER_PAGE) perPage = MAX_PER_PAGE;
  const offset = params.offset !== undefined && Number.isSafeInteger(params.offset) && params.offset >= 0 ? params.offset : undefined;
  const page = offset === undefined ? Math.max(1, intParam(params.page)) : Math.floor(offset / perPage) + 1;
  // a page whose row offset is past 2^53 has no exact offset for SQL (it printed as 1e+22)
  if (!Number.isSafeInteger((page - 1) * perPage)) throw errors.badRequest();
  return { page, perPage, offset: offset ?? (page - 1) * perPage, skipTotal: truthy(params.skipTotal) };
}
