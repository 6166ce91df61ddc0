// What every entry form (hazard, repair, incident, outreach, activity) has besides its kind's
// own fields: when it happened (now, or the time the member says), where (typed or from GPS)
// and who wrote it, turned into the envelope of the draft `record_entry` receives, and read back
// from a stored entry to edit it.
import { parseNumber, type FieldErrors } from "./problems";
import { toLocalRfc3339 } from "../lib/time";
import { parseLocalTime } from "../log/entry";
import type { Translate } from "../i18n";
import type { Entry, EntryDraft, Location, PhotoAttachment } from "../tauri/types";

/** The location fields of a form, as typed (blank when there is none). */
export interface LocationValues {
  lat: string;
  lon: string;
  accuracy: string;
}

export const blankLocation = (): LocationValues => ({ lat: "", lon: "", accuracy: "" });

/** A stored entry's location as form values. */
export function locationValuesOf(entry: Entry): LocationValues {
  return {
    lat: entry.location ? String(entry.location.lat) : "",
    lon: entry.location ? String(entry.location.lon) : "",
    accuracy: entry.location?.accuracy_m !== undefined ? String(entry.location.accuracy_m) : "",
  };
}

/** The location typed or fixed, or undefined when both coordinates are blank. */
export function locationOf(lat: string, lon: string, accuracy = ""): Location | undefined {
  const la = parseNumber(lat);
  const lo = parseNumber(lon);
  if (la === null || lo === null) return undefined;
  const location: Location = { lat: la, lon: lo };
  const acc = parseNumber(accuracy);
  if (acc !== null && acc >= 0) location.accuracy_m = acc;
  return location;
}

/**
 * When and where, as a form holds them. `when` is "" for "now" (the time of saving, the usual
 * case in the field), else the device-local wall time "YYYY-MM-DD HH:mm" the member chose (an
 * outreach session written up in the evening, a meeting the day before). `until` is when it
 * ended, in the same form, "" for no end given.
 */
export interface EnvelopeValues extends LocationValues {
  when: string;
  until: string;
}

export const blankEnvelope = (): EnvelopeValues => ({ ...blankLocation(), when: "", until: "" });

/** A stored entry's times and location as form values. */
export function envelopeValuesOf(entry: Entry): EnvelopeValues {
  return { ...locationValuesOf(entry), when: whenOf(entry.occurred_at), until: entry.ended_at ? whenOf(entry.ended_at) : "" };
}

/** "2024-03-02 09:00" of a stored time, in the offset it was recorded in ("" if unreadable). */
export function whenOf(occurredAt: string): string {
  const local = parseLocalTime(occurredAt);
  return local ? `${local.date} ${local.time}` : "";
}

const WHEN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

/** The device-local instant of a form's `when`, or null when it is no real date and time. */
export function whenToDate(when: string): Date | null {
  const m = WHEN.exec(when.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const at = new Date(year, month - 1, day, hour, minute);
  const same = at.getFullYear() === year && at.getMonth() === month - 1 && at.getDate() === day && at.getHours() === hour;
  return same && minute < 60 ? at : null;
}

/** The form's time as the store wants it: now for "", else the wall time chosen, in the device's offset then. */
export function occurredAtOf(when: string, now: Date = new Date()): string {
  if (when.trim() === "") return toLocalRfc3339(now);
  const at = whenToDate(when);
  return at ? toLocalRfc3339(at) : when;
}

/** How far ahead of the phone's clock a time may be (a clock a little off, a minute rounded up). */
const FUTURE_SLACK_MS = 5 * 60_000;

/** The problem with a form's time, under `occurred_at` (where the store reports its own). */
export function checkWhen(when: string, t: Translate, now: Date = new Date()): FieldErrors {
  if (when.trim() === "") return {};
  const at = whenToDate(when);
  if (!at) return { occurred_at: t("check.occurredAtForm") };
  if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) return { occurred_at: t("check.occurredAtFuture") };
  return {};
}

/** The problem with a form's end, under `ended_at`: after the start, and not later than now. */
export function checkUntil(values: Pick<EnvelopeValues, "when" | "until">, t: Translate, now: Date = new Date()): FieldErrors {
  if (values.until.trim() === "") return {};
  const end = whenToDate(values.until);
  if (!end) return { ended_at: t("check.endedAtForm") };
  if (end.getTime() > now.getTime() + FUTURE_SLACK_MS) return { ended_at: t("check.endedAtFuture") };
  const start = values.when.trim() === "" ? now : whenToDate(values.when);
  if (start && end.getTime() < start.getTime()) return { ended_at: t("check.endedBeforeStart") };
  return {};
}

/** The draft of a `kind` with this body, at the form's time, with its location and author when known. */
export function entryDraftOf(
  kind: EntryDraft["kind"],
  body: Record<string, unknown>,
  where: EnvelopeValues,
  author: string | null,
  occurredAt: string = occurredAtOf(where.when),
): EntryDraft {
  // The body may hold what the member typed that is not a number yet (`attendees: "十"`): the
  // shell takes the draft as JSON and parse_entry_draft names every wrong field, so the draft
  // is only typed as an EntryDraft here, not checked as one.
  const draft = { kind, occurred_at: occurredAt, body } as EntryDraft;
  if (where.until.trim() !== "") draft.ended_at = occurredAtOf(where.until);
  const location = locationOf(where.lat, where.lon, where.accuracy);
  if (location) draft.location = location;
  if (author) draft.author = author;
  return draft;
}

/** The stored time text when the form shows it unchanged (its seconds and offset kept), else the form's. */
function keptTime(stored: string | undefined, fresh: string | undefined): string | undefined {
  return stored !== undefined && fresh !== undefined && whenOf(fresh) === whenOf(stored) ? stored : fresh;
}

/**
 * The edited draft keeps the entry's author and the patrol it was recorded during, and its
 * exact stored times (seconds, offset) unless the member changed the time shown.
 */
export function editedDraft(entry: Entry, fresh: EntryDraft): EntryDraft {
  const draft: EntryDraft = { ...fresh, occurred_at: keptTime(entry.occurred_at, fresh.occurred_at) ?? fresh.occurred_at };
  const endedAt = keptTime(entry.ended_at, fresh.ended_at);
  if (endedAt) draft.ended_at = endedAt;
  else delete draft.ended_at;
  if (entry.patrol_id) draft.patrol_id = entry.patrol_id;
  if (entry.author) draft.author = entry.author;
  else delete draft.author;
  return draft;
}

/** Photos of a form with one picker: each of role `general`. */
export function generalPhotos(shas: string[]): PhotoAttachment[] {
  return shas.map((sha256) => ({ sha256, role: "general" as const }));
}

/** A new entry recorded while a patrol runs belongs to it (a patrol never belongs to one). */
export function duringPatrol(draft: EntryDraft, runningPatrolId: string | null | undefined): EntryDraft {
  return runningPatrolId && draft.kind !== "patrol" ? { ...draft, patrol_id: runningPatrolId } : draft;
}
