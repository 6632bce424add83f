import type { FastifyRequest } from 'fastify';
import { pageParams } from '../../core/records/record-list-params.js';

/** The paging, sort and filter of a list request, as the non-record list endpoints take them. */
export interface ListQuery {
  page: number;
  perPage: number;
  sort: string;
  filter: string;
  skipTotal: boolean;
}

function text(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value[0]);
  return value === undefined || value === null ? undefined : String(value);
}

/** `?page=&perPage=&sort=&filter=&skipTotal=` with the records API's defaults and bounds. */
export function listQuery(request: FastifyRequest): ListQuery {
  const q = (request.query ?? {}) as Record<string, unknown>;
  const paging = pageParams({ page: text(q.page), perPage: text(q.perPage), skipTotal: text(q.skipTotal) });
  return { ...paging, sort: text(q.sort) ?? '', filter: text(q.filter) ?? '' };
}

/** PocketBase's list answer: the items with the page, page size, total items and total pages (-1 with skipTotal). */
export function listAnswer<T>(query: ListQuery, result: { items: T[]; totalItems: number }) {
  return {
    items: result.items,
    page: query.page,
    perPage: query.perPage,
    totalItems: result.totalItems,
    totalPages: result.totalItems < 0 ? -1 : Math.ceil(result.totalItems / query.perPage),
  };
}
