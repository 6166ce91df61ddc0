// The state of the log screen: pages of entries fetched through a cursor, newest first as
// the device store returns them. The fetcher is injected so the logic is tested without Tauri.
//
// What is kept of each entry is only what its row shows (`toRow`): the summary the store sent
// is dropped once its row is made, so 10,000 loaded entries stay a few MB of plain objects.
// Pages are appended in place (no copy of the whole list per page) and ids are remembered in a
// Set, so a page costs the same at row 30 and at row 10,000.
import { computed, ref, shallowRef, triggerRef, type ShallowRef } from "vue";
import { toAppError, type AppError } from "../tauri/commands";
import type { EntryListQuery, EntryPage, EntrySummary } from "./entry";

export type FetchEntryPage = (query: EntryListQuery) => Promise<EntryPage>;

export const DEFAULT_PAGE_SIZE = 30;

export function useEntryLog<Row extends { id: string } = EntrySummary>(
  fetchPage: FetchEntryPage,
  pageSize = DEFAULT_PAGE_SIZE,
  /** The filters of every page (kind, status, dates, search); read at each page. */
  baseQuery: () => EntryListQuery = () => ({}),
  /** What the list keeps of an entry: by default the summary itself. */
  toRow: (entry: EntrySummary) => Row = (entry) => entry as unknown as Row,
) {
  /** The rows loaded so far, newest first. Appended in place; watchers see `triggerRef`. */
  const rows: ShallowRef<Row[]> = shallowRef([]);
  let ids = new Set<string>();
  const cursor = ref<string | null>(null);
  /** Bound to van-list's v-model:loading; van-list sets it before it asks for a page. */
  const loading = ref(false);
  const finished = ref(false);
  const error = ref<AppError | null>(null);
  const loadedOnce = ref(false);
  let inFlight = false;
  // A reload while a page is in flight makes that page's answer stale.
  let generation = 0;

  const isEmpty = computed(() => loadedOnce.value && finished.value && rows.value.length === 0);

  async function loadMore(): Promise<void> {
    if (inFlight) return;
    if (finished.value) {
      loading.value = false;
      return;
    }
    const started = generation;
    inFlight = true;
    loading.value = true;
    error.value = null;
    const query: EntryListQuery = { ...baseQuery(), limit: pageSize };
    if (cursor.value !== null) query.after = cursor.value;
    try {
      const page = await fetchPage(query);
      if (started !== generation) return;
      const shown = rows.value;
      for (const entry of page.entries) {
        if (ids.has(entry.id)) continue;
        ids.add(entry.id);
        shown.push(toRow(entry));
      }
      triggerRef(rows);
      cursor.value = page.next_cursor;
      finished.value = page.next_cursor === null || page.entries.length === 0;
      loadedOnce.value = true;
    } catch (thrown) {
      if (started !== generation) return;
      error.value = toAppError(thrown);
    } finally {
      if (started === generation) {
        inFlight = false;
        loading.value = false;
      }
    }
  }

  async function reload(): Promise<void> {
    generation += 1;
    inFlight = false;
    rows.value = [];
    ids = new Set();
    cursor.value = null;
    finished.value = false;
    error.value = null;
    loadedOnce.value = false;
    await loadMore();
  }

  return { rows, loading, finished, error, loadedOnce, isEmpty, loadMore, reload };
}
