// The state of the log screen: pages of entries fetched through a cursor, newest first as
// the device store returns them. The fetcher is injected so the logic is tested without Tauri.
import { computed, ref } from "vue";
import { toAppError, type AppError } from "../tauri/commands";
import { appendPage, type EntryListQuery, type EntryPage, type EntrySummary } from "./entry";

export type FetchEntryPage = (query: EntryListQuery) => Promise<EntryPage>;

export const DEFAULT_PAGE_SIZE = 30;

export function useEntryLog(
  fetchPage: FetchEntryPage,
  pageSize = DEFAULT_PAGE_SIZE,
  /** The filters of every page (kind, status, dates, search); read at each page. */
  baseQuery: () => EntryListQuery = () => ({}),
) {
  const entries = ref<EntrySummary[]>([]);
  const cursor = ref<string | null>(null);
  /** Bound to van-list's v-model:loading; van-list sets it before it asks for a page. */
  const loading = ref(false);
  const finished = ref(false);
  const error = ref<AppError | null>(null);
  const loadedOnce = ref(false);
  let inFlight = false;
  // A reload while a page is in flight makes that page's answer stale.
  let generation = 0;

  const isEmpty = computed(() => loadedOnce.value && finished.value && entries.value.length === 0);

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
      entries.value = appendPage(entries.value, page);
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
    entries.value = [];
    cursor.value = null;
    finished.value = false;
    error.value = null;
    loadedOnce.value = false;
    await loadMore();
  }

  return { entries, loading, finished, error, loadedOnce, isEmpty, loadMore, reload };
}
