// What every entry form (hazard, repair, incident, outreach, activity) has besides its kind's
// own fields: where it happened (typed or from GPS) and who wrote it, turned into the envelope
// of the draft `record_entry` receives, and read back from a stored entry to edit it.
import { parseNumber } from "./problems";
import { toLocalRfc3339 } from "../lib/time";
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

/** The draft of a `kind` with this body, recorded now (or at `occurredAt`), with its location and author when known. */
export function entryDraftOf(
  kind: EntryDraft["kind"],
  body: Record<string, unknown>,
  where: LocationValues,
  author: string | null,
  occurredAt: string = toLocalRfc3339(),
): EntryDraft {
  const draft: EntryDraft = { kind, occurred_at: occurredAt, body };
  const location = locationOf(where.lat, where.lon, where.accuracy);
  if (location) draft.location = location;
  if (author) draft.author = author;
  return draft;
}

/** The edited draft keeps the entry's time, end, author and the patrol it was recorded during. */
export function editedDraft(entry: Entry, fresh: EntryDraft): EntryDraft {
  const draft: EntryDraft = { ...fresh, occurred_at: entry.occurred_at };
  if (entry.ended_at) draft.ended_at = entry.ended_at;
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
