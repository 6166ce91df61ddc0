// The filtered list an entry's page walks through ("通过并下一条", J/K): the ids in the list's
// order, as the entries page loaded them, or loaded here page by page for an entry opened from
// a link. The queue keeps an entry decided meanwhile (a "待审核" list no longer holds it on the
// server), so the next one is the one after it as the county saw the list.
import type { EntryPage } from "../api/types";
import { filtersToRouteQuery, type EntryFilters } from "../entries/entryQuery";

export type PageLoader = (cursor: string | null) => Promise<EntryPage>;

interface Queue {
  key: string;
  ids: string[];
  nextCursor: string | null;
  /** Whether the first page was loaded (else nothing is known yet). */
  started: boolean;
}

let queue: Queue | null = null;

function keyOf(filters: EntryFilters): string {
  return JSON.stringify(filtersToRouteQuery(filters));
}

function queueFor(filters: EntryFilters): Queue {
  const key = keyOf(filters);
  if (!queue || queue.key !== key) queue = { key, ids: [], nextCursor: null, started: false };
  return queue;
}

/** What the entries page shows for `filters`: its rows in order and the cursor of the rest. */
export function rememberList(filters: EntryFilters, ids: readonly string[], nextCursor: string | null): void {
  queue = { key: keyOf(filters), ids: [...ids], nextCursor, started: true };
}

async function loadMore(current: Queue, load: PageLoader): Promise<boolean> {
  if (current.started && !current.nextCursor) return false;
  const page = await load(current.started ? current.nextCursor : null);
  const known = new Set(current.ids);
  current.ids.push(...page.entries.map((entry) => entry.id).filter((id) => !known.has(id)));
  current.nextCursor = page.next_cursor;
  current.started = true;
  return true;
}

/**
 * The entry `step` places from `id` (1 the next, -1 the previous) in the list of `filters`,
 * loading further pages as needed; null at either end, or when `id` is not in the list.
 */
export async function neighbourOf(id: string, step: 1 | -1, filters: EntryFilters, load: PageLoader): Promise<string | null> {
  const current = queueFor(filters);
  for (;;) {
    const index = current.ids.indexOf(id);
    const wanted = index + step;
    if (index >= 0 && wanted >= 0 && wanted < current.ids.length) return current.ids[wanted] ?? null;
    if (index >= 0 && step < 0) return null;
    if (!(await loadMore(current, load))) return null;
  }
}

/** Forgets the queue (tests; a logout). */
export function forgetQueue(): void {
  queue = null;
}
