// The entries page's filters: read from and written to the page address (so a filtered list
// can be bookmarked and survives "back" from an entry), and turned into the query of
// GET /api/v1/admin/entries (docs/county-api.md). Unknown values in the address are dropped.
import type { LocationQuery } from "vue-router";
import { ENTRY_KINDS, ENTRY_STATUSES, REVIEW_FILTERS } from "../api/types";
import type { QueryValue } from "../api/client";

export interface EntryFilters {
  post: string;
  kind: string;
  from: string;
  to: string;
  status: string;
  review: string;
  q: string;
}

export const PAGE_SIZE = 50;

export function emptyFilters(): EntryFilters {
  return { post: "", kind: "", from: "", to: "", status: "", review: "", q: "" };
}

const LOCAL_DAY = /^\d{4}-\d{2}-\d{2}$/;
const FILTER_KEYS = Object.keys(emptyFilters()) as (keyof EntryFilters)[];

function single(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
}

function oneOf(value: string, allowed: readonly string[]): string {
  return allowed.includes(value) ? value : "";
}

/** The filters a page address asks for; anything not in the vocabularies is ignored. */
export function filtersFromRoute(query: LocationQuery): EntryFilters {
  const from = single(query.from);
  const to = single(query.to);
  return {
    post: single(query.post).trim(),
    kind: oneOf(single(query.kind), ENTRY_KINDS),
    from: LOCAL_DAY.test(from) ? from : "",
    to: LOCAL_DAY.test(to) ? to : "",
    status: oneOf(single(query.status), ENTRY_STATUSES),
    review: oneOf(single(query.review), REVIEW_FILTERS),
    q: single(query.q),
  };
}

/** The page address's query for these filters: only the ones set. */
export function filtersToRouteQuery(filters: EntryFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = key === "q" ? filters.q.trim() : filters[key];
    if (value) query[key] = value;
  }
  return query;
}

/**
 * The API query of one page: the filters set (text trimmed, a reversed date range put in
 * order), the page size, and the cursor of the page before (none for the first).
 */
export function entriesRequestQuery(filters: EntryFilters, cursor: string | null = null, limit = PAGE_SIZE): Record<string, QueryValue> {
  let { from, to } = filters;
  if (from && to && from > to) [from, to] = [to, from];
  const query: Record<string, QueryValue> = {
    post: filters.post || undefined,
    kind: filters.kind || undefined,
    from: from || undefined,
    to: to || undefined,
    status: filters.status || undefined,
    review: filters.review || undefined,
    q: filters.q.trim() || undefined,
    limit,
  };
  if (cursor) query.cursor = cursor;
  return query;
}

/** Whether any filter is set (the page then offers to clear them). */
export function hasFilters(filters: EntryFilters): boolean {
  return Object.keys(filtersToRouteQuery(filters)).length > 0;
}
