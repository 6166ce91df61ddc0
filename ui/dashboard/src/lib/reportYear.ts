// Which year Statistics and the year-end report show: the one in the address (`?year=2024`),
// else the latest year with entries (the server's `latest_entry_year`: in January the year
// just ended, when the report is written), else this year. A year the server would refuse is
// said so on the page, never silently swapped for another.
import { countyApi } from "../api/routes";
import { FIRST_REPORT_YEAR, LAST_REPORT_YEAR } from "../generated/limits";

export type YearInAddress = { kind: "year"; year: number } | { kind: "none" } | { kind: "refused"; text: string };

/** The address's `year`: a year the server takes, none, or a text it would refuse. */
export function yearInAddress(value: unknown): YearInAddress {
  if (value === undefined || value === null || value === "") return { kind: "none" };
  const text = (Array.isArray(value) ? value.join(",") : String(value)).trim();
  const asked = Number(text);
  if (/^\d{4}$/.test(text) && asked >= FIRST_REPORT_YEAR && asked <= LAST_REPORT_YEAR) return { kind: "year", year: asked };
  return { kind: "refused", text };
}

/** The year a page opens on without one in its address. */
export function openingYear(latestEntryYear: number | null | undefined, now = new Date()): number {
  return latestEntryYear ?? now.getFullYear();
}

/** [`openingYear`] of this server (this year if it cannot say). */
export async function fetchOpeningYear(): Promise<number> {
  try {
    return openingYear((await countyApi.config()).latest_entry_year);
  } catch {
    return openingYear(null);
  }
}
