// The shapes the Tauri command `list_entries` exchanges (patrol_device's EntryListQuery /
// EntryPage / EntrySummary, generated in ui/src/generated), and the pure functions that turn an entry
// summary into what a row of the log shows. No Vue, no Tauri: unit-tested in entry.test.ts.

import { ENTRY_KIND, ENTRY_STATUS, REVIEW_DECISION, type EntryKind } from "../generated/vocabularies";
export type { EntryKind, EntryStatus, ReviewDecision } from "../generated/vocabularies";
export type { EntryListQuery, EntryPage, EntrySummary, SendState } from "../generated/types";
import type { EntryPage, EntrySummary, SendState } from "../generated/types";

/** The county's decisions on an entry (patrol_model::ReviewDecision). */
export const REVIEW_DECISIONS = REVIEW_DECISION.map((decision) => decision.code);
/** Whether the county has an entry (patrol_device::SendState). */
export const SEND_STATES: readonly SendState[] = ["pending", "sent", "rejected", "received"];

/** Every kind, in the order the app offers them (home grid, log filter). */
export const ENTRY_KINDS: readonly EntryKind[] = ENTRY_KIND.map((kind) => kind.code);
const KNOWN_KINDS: readonly string[] = ENTRY_KINDS;
const KNOWN_STATUSES: readonly string[] = ENTRY_STATUS.map((status) => status.code);

/** The i18n key of a kind's label (`kind.patrol` → 巡逻); unknown codes get `kind.unknown`. */
export function kindLabelKey(kind: string): string {
  return KNOWN_KINDS.includes(kind) ? `kind.${kind}` : "kind.unknown";
}

/** Each kind's Vant icon (bundled icon font: nothing fetched). */
const KIND_ICONS: Record<string, string> = {
  patrol: "guide-o",
  hazard: "warning-o",
  repair: "completed",
  incident: "shield-o",
  outreach: "bullhorn-o",
  activity: "flag-o",
};

/** The icon of a kind; unknown kinds get a plain note. */
export function kindIcon(kind: string): string {
  return KIND_ICONS[kind] ?? "notes-o";
}

/** Each kind's colour (white text on it passes WCAG AA contrast, for sun glare). */
const KIND_COLOURS: Record<string, string> = {
  patrol: "#1d4ed8",
  hazard: "#b45309",
  repair: "#15803d",
  incident: "#9f1239",
  outreach: "#0f766e",
  activity: "#6d28d9",
};

/** The background of a kind's tag; unknown kinds are grey. */
export function kindColour(kind: string): string {
  return KIND_COLOURS[kind] ?? "#4b5563";
}

/**
 * The i18n key of the review flag a log row shows: only a returned entry is flagged (it needs
 * the member's fix); an approved one or one not yet reviewed shows nothing.
 */
export function reviewFlagKey(decision: string | null | undefined): string | null {
  return decision === "returned" ? "review.returned" : null;
}

/**
 * The i18n key of the send mark a row shows: 待发送, 已发送 or 被拒; nothing for an entry another
 * phone sent (it came from the county) or a state this version does not know.
 */
export function sendMarkKey(state: string | null | undefined): string | null {
  return state === "pending" || state === "sent" || state === "rejected" ? `send.${state}` : null;
}

/** The i18n key of a status label, or null when the entry has no status (e.g. outreach). */
export function statusLabelKey(status: string | null): string | null {
  if (status === null || status === "") return null;
  return KNOWN_STATUSES.includes(status) ? `status.${status}` : "status.unknown";
}

/** Vant tag type of a status: open hazards stand out, finished work is quiet. */
export function statusTagType(status: string | null): "danger" | "success" | "primary" | "default" {
  switch (status) {
    case "open":
      return "danger";
    case "fixed":
      return "success";
    case "running":
      return "primary";
    default:
      return "default";
  }
}

export interface LocalTime {
  /** "2024-03-02" as the device's wall clock read it. */
  date: string;
  /** "08:10". */
  time: string;
  /** Minutes east of UTC the device was at (480 for +08:00). */
  offsetMinutes: number;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Reads the wall-clock time an entry was recorded at, in the offset the device had then,
 * straight from the RFC 3339 text: a patrol at 08:10 Beijing time shows 08:10 whatever zone
 * the viewer is in. Returns null for text that is not RFC 3339.
 */
export function parseLocalTime(occurredAt: string): LocalTime | null {
  const m = RFC3339.exec(occurredAt.trim());
  if (!m) return null;
  const [, year, month, day, hour, minute, , zulu, sign, offH, offM] = m;
  const monthNumber = Number(month);
  const dayNumber = Number(day);
  if (monthNumber < 1 || monthNumber > 12 || dayNumber < 1 || dayNumber > 31) return null;
  if (Number(hour) > 23 || Number(minute) > 59) return null;
  let offsetMinutes = 0;
  if (!zulu) {
    offsetMinutes = Number(offH) * 60 + Number(offM);
    if (sign === "-") offsetMinutes = -offsetMinutes;
  }
  return { date: `${year}-${month}-${day}`, time: `${hour}:${minute}`, offsetMinutes };
}

/** "+08:00" style text of an offset in minutes. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const hours = String(Math.floor(abs / 60)).padStart(2, "0");
  const minutes = String(abs % 60).padStart(2, "0");
  return `UTC${sign}${hours}:${minutes}`;
}

/**
 * "2024-03-02 08:10" for a row. When the device's offset differs from the viewer's
 * (`viewerOffsetMinutes`, e.g. a phone set to the wrong zone), the offset is appended so two
 * entries never look simultaneous when they were not. Unparseable text is shown as it is.
 */
export function formatLocalTime(occurredAt: string, viewerOffsetMinutes?: number): string {
  const local = parseLocalTime(occurredAt);
  if (!local) return occurredAt;
  const text = `${local.date} ${local.time}`;
  if (viewerOffsetMinutes === undefined || viewerOffsetMinutes === local.offsetMinutes) return text;
  return `${text} (${formatOffset(local.offsetMinutes)})`;
}

/** The viewer's offset east of UTC in minutes at the given instant. */
export function viewerOffsetMinutes(at: Date = new Date()): number {
  return -at.getTimezoneOffset();
}

export interface EntryRow {
  id: string;
  kindKey: string;
  statusKey: string | null;
  statusType: ReturnType<typeof statusTagType>;
  title: string;
  time: string;
  author: string | null;
  deleted: boolean;
  kindIcon: string;
  kindColour: string;
  /** `review.returned` for an entry the county returned, else null. */
  reviewKey: string | null;
}

/** Everything a row of the log shows, with labels still as i18n keys. */
export function toEntryRow(entry: EntrySummary, viewerOffset?: number): EntryRow {
  return {
    id: entry.id,
    kindKey: kindLabelKey(entry.kind),
    statusKey: statusLabelKey(entry.status),
    statusType: statusTagType(entry.status),
    title: entry.title.trim() === "" ? entry.category : entry.title,
    time: formatLocalTime(entry.occurred_at, viewerOffset),
    author: entry.author,
    deleted: entry.deleted,
    kindIcon: kindIcon(entry.kind),
    kindColour: kindColour(entry.kind),
    reviewKey: entry.deleted ? null : reviewFlagKey(entry.review_decision),
  };
}

/** Appends a next page to the rows already shown, skipping ids already there. */
export function appendPage(shown: EntrySummary[], page: EntryPage): EntrySummary[] {
  const seen = new Set(shown.map((e) => e.id));
  return shown.concat(page.entries.filter((e) => !seen.has(e.id)));
}
