// The entries page's filters: read from and written to the page address (so a filtered list
// can be bookmarked and survives "back" from an entry), and turned into the query of
// GET /api/v1/admin/entries (docs/county-api.md), and of its export (the same filters, a
// format). Unknown values in the address are dropped.
import type { LocationQuery } from "vue-router";
import { ENTRY_KINDS, ENTRY_STATUSES, HAZARD_SEVERITIES, REVIEW_FILTERS } from "../api/types";
import type { QueryValue } from "../api/client";

export interface EntryFilters {
  post: string;
  kind: string;
  from: string;
  to: string;
  status: string;
  review: string;
  q: string;
  /** A hazard severity code: only hazards of it. */
  severity: string;
  /** A member's name exactly as recorded (the entry's author). */
  author: string;
  /** Only entries the county returned that the post has not changed since (退回未改). */
  returnedUnfixed: boolean;
}

/** What the export offers. */
export type ExportFormat = "xlsx" | "csv";

export const PAGE_SIZE = 50;

export function emptyFilters(): EntryFilters {
  return { post: "", kind: "", from: "", to: "", status: "", review: "", q: "", severity: "", author: "", returnedUnfixed: false };
}

const LOCAL_DAY = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_KEYS = ["post", "kind", "from", "to", "status", "review", "q", "severity", "author"] as const;
/** The address's (and the API's) name of the 退回未改 filter. */
const RETURNED_UNFIXED = "returned_unfixed";

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
    severity: oneOf(single(query.severity), HAZARD_SEVERITIES),
    author: single(query.author),
    returnedUnfixed: single(query[RETURNED_UNFIXED]) === "true",
  };
}

/** The page address's query for these filters: only the ones set. */
export function filtersToRouteQuery(filters: EntryFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of TEXT_KEYS) {
    const value = key === "q" || key === "author" ? filters[key].trim() : filters[key];
    if (value) query[key] = value;
  }
  if (filters.returnedUnfixed) query[RETURNED_UNFIXED] = "true";
  return query;
}

/**
 * The API query of one page: the filters set (text trimmed, a reversed date range put in
 * order), the page size, and the cursor of the page before (none for the first).
 */
export function entriesRequestQuery(filters: EntryFilters, cursor: string | null = null, limit = PAGE_SIZE): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = { ...filterQuery(filters), limit };
  if (cursor) query.cursor = cursor;
  return query;
}

/** The export's query: the same filters as the list, and the file format. */
export function entriesExportQuery(filters: EntryFilters, format: ExportFormat): Record<string, QueryValue> {
  return { format, ...filterQuery(filters) };
}

/** The filters set, as the API names them (text trimmed, a reversed date range put in order). */
function filterQuery(filters: EntryFilters): Record<string, QueryValue> {
  let { from, to } = filters;
  if (from && to && from > to) [from, to] = [to, from];
  return {
    post: filters.post || undefined,
    kind: filters.kind || undefined,
    from: from || undefined,
    to: to || undefined,
    status: filters.status || undefined,
    review: filters.review || undefined,
    q: filters.q.trim() || undefined,
    severity: filters.severity || undefined,
    author: filters.author.trim() || undefined,
    [RETURNED_UNFIXED]: filters.returnedUnfixed ? true : undefined,
  };
}

/** Whether any filter is set (the page then offers to clear them). */
export function hasFilters(filters: EntryFilters): boolean {
  return Object.keys(filtersToRouteQuery(filters)).length > 0;
}
