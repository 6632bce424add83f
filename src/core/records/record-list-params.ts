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
export function pageParams(params: ListParams): { page: number; perPage: number; skipTotal: boolean } {
  const page = Math.max(1, intParam(params.page));
  let perPage = intParam(params.perPage);
  if (perPage <= 0) perPage = DEFAULT_PER_PAGE;
  else if (perPage > MAX_PER_PAGE) perPage = MAX_PER_PAGE;
  return { page, perPage, skipTotal: truthy(params.skipTotal) };
}
