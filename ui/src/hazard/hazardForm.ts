// The hazard form's values, its own checks and the draft `record_entry` receives.
import type { FieldErrors } from "../forms/problems";
import { checkCoordinates, parseNumber } from "../forms/problems";
import type { Entry, EntryDraft, Location } from "../tauri/types";
import { toLocalRfc3339 } from "../lib/time";

export interface HazardValues {
  category: string;
  severity: string;
  description: string;
  lat: string;
  lon: string;
  accuracy: string;
  photos: string[];
}

export const hazardDefaults = (): HazardValues => ({
  category: "",
  severity: "",
  description: "",
  lat: "",
  lon: "",
  accuracy: "",
  photos: [],
});

export const MAX_TEXT_CHARS = 4000;

export function checkHazard(values: HazardValues): FieldErrors {
  const errors: FieldErrors = { ...checkCoordinates(values.lat, values.lon) };
  if (!values.category) errors.category = "请选择隐患类别";
  if (!values.severity) errors.severity = "请选择严重程度";
  if (values.description.length > MAX_TEXT_CHARS) errors.description = `描述太长，最多 ${MAX_TEXT_CHARS} 字`;
  return errors;
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

export function hazardDraft(
  values: HazardValues,
  author: string | null,
  occurredAt: string = toLocalRfc3339(),
): EntryDraft {
  const draft: EntryDraft = {
    kind: "hazard",
    occurred_at: occurredAt,
    body: { category: values.category, severity: values.severity, description: values.description.trim() },
  };
  const location = locationOf(values.lat, values.lon, values.accuracy);
  if (location) draft.location = location;
  if (author) draft.author = author;
  return draft;
}

/** An existing hazard as form values (edit). */
export function hazardValuesOf(entry: Entry): HazardValues {
  const body = entry.body as Partial<{ category: string; severity: string; description: string }>;
  return {
    category: body.category ?? "",
    severity: body.severity ?? "",
    description: body.description ?? "",
    lat: entry.location ? String(entry.location.lat) : "",
    lon: entry.location ? String(entry.location.lon) : "",
    accuracy: entry.location?.accuracy_m !== undefined ? String(entry.location.accuracy_m) : "",
    photos: entry.photos.map((p) => p.sha256),
  };
}

/** The edited draft keeps the entry's time, end and author. */
export function editedDraft(entry: Entry, fresh: EntryDraft): EntryDraft {
  const draft: EntryDraft = { ...fresh, occurred_at: entry.occurred_at };
  if (entry.ended_at) draft.ended_at = entry.ended_at;
  if (entry.author) draft.author = entry.author;
  else delete draft.author;
  return draft;
}
