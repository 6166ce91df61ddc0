// The year of a page that shows one (Statistics, the year-end report), kept in its address:
// an address without a year gets the opening year (lib/reportYear.ts); one the server would
// refuse gets it too, and `refused` keeps what was asked so the page says so.
import { ref, watch, type Ref } from "vue";
import { useRoute, useRouter } from "vue-router";
import { fetchOpeningYear, yearInAddress } from "./reportYear";

export interface ReportYear {
  /** The year shown; null until the opening year is known. */
  year: Ref<number | null>;
  /** The address's year text the server would refuse, until another year is chosen. */
  refused: Ref<string | null>;
  /** Shows `year` (into the address, other query values kept). */
  choose: (year: number) => void;
}

export function useReportYear(path: string): ReportYear {
  const route = useRoute();
  const router = useRouter();
  const year = ref<number | null>(null);
  const refused = ref<string | null>(null);
  const into = (next: number) => router.replace({ path, query: { ...route.query, year: String(next) } });
  async function settle(): Promise<void> {
    const address = yearInAddress(route.query.year);
    if (address.kind === "year") {
      year.value = address.year;
      return;
    }
    if (address.kind === "refused") refused.value = address.text;
    await into(await fetchOpeningYear());
  }
  watch(() => route.query.year, () => void settle(), { immediate: true });
  function choose(next: number): void {
    refused.value = null;
    void into(next);
  }
  return { year, refused, choose };
}
