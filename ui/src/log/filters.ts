// The log's filters and the list query they make.
import { ENTRY_KINDS, kindLabelKey, type EntryKind, type EntryListQuery, type EntryStatus, type ReviewDecision, REVIEW_DECISIONS } from "./entry";

export interface LogFilters {
  kind: EntryKind | "";
  status: EntryStatus | "";
  /** The county's decision ("returned": what the member must fix). */
  review: ReviewDecision | "";
  /** The member who wrote it (the post leader's filter), or "". */
  author: string;
  /** YYYY-MM-DD or "" */
  since: string;
  until: string;
  search: string;
}

export const EMPTY_FILTERS: LogFilters = { kind: "", status: "", review: "", author: "", since: "", until: "", search: "" };

/** The member filter's choices: everyone, then each member of the roster. */
export function authorFilterOptions(t: (key: string) => string, roster: readonly string[]): { text: string; value: string }[] {
  return [{ text: t("log.allMembers"), value: "" }, ...roster.map((name) => ({ text: name, value: name }))];
}

/** The review filter's choices: any, returned, approved. */
export function reviewFilterOptions(t: (key: string) => string): { text: string; value: ReviewDecision | "" }[] {
  return [
    { text: t("log.allReviews"), value: "" },
    { text: t("review.returned"), value: "returned" },
    { text: t("review.approved"), value: "approved" },
  ];
}

/** The review filter a route's `?review=` asks for ("" for anything else). */
export function reviewFromRoute(value: unknown): ReviewDecision | "" {
  return REVIEW_DECISIONS.find((decision) => decision === value) ?? "";
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The kind filter's choices: all kinds, then each of the six, labels translated by `t`. */
export function kindFilterOptions(t: (key: string) => string): { text: string; value: EntryKind | "" }[] {
  return [{ text: t("log.allKinds"), value: "" }, ...ENTRY_KINDS.map((kind) => ({ text: t(kindLabelKey(kind)), value: kind }))];
}

/** The statuses that make sense for a kind (all when no kind is chosen). */
export function statusesFor(kind: LogFilters["kind"]): EntryStatus[] {
  if (kind === "hazard") return ["open", "fixed"];
  if (kind === "patrol") return ["running", "ended"];
  if (kind === "") return ["open", "fixed", "running", "ended"];
  return [];
}

/**
 * The query of the filters: blank values left out, the search trimmed, dates only when
 * they are dates, a reversed range put in order, a status only if the kind can have it.
 */
export function filtersToQuery(filters: LogFilters): EntryListQuery {
  const query: EntryListQuery = {};
  if (filters.kind) query.kind = filters.kind;
  if (filters.status && statusesFor(filters.kind).includes(filters.status)) query.status = filters.status;
  if (filters.review) query.review = filters.review;
  if (filters.author.trim()) query.author = filters.author.trim();
  let since = DATE.test(filters.since) ? filters.since : "";
  let until = DATE.test(filters.until) ? filters.until : "";
  if (since && until && since > until) [since, until] = [until, since];
  if (since) query.since = since;
  if (until) query.until = until;
  const search = filters.search.trim().replace(/\s+/g, " ");
  if (search) query.search = search;
  return query;
}

/** How many filters are set (shown on the filter button). */
export function activeFilterCount(filters: LogFilters): number {
  return Object.keys(filtersToQuery(filters)).length;
}
