// The outreach (普法宣传) form's values, its own checks and the draft `record_entry` receives
// (patrol_model::OutreachBody: village and topic required, audience 1–100000, description).
import { checkCoordinates, type FieldErrors } from "../forms/problems";
import { checkHeadCount, checkLongText, checkShortText, headCountOf, onlyProblems } from "../forms/entryChecks";
import { locationOf } from "../hazard/hazardForm";
import { toLocalRfc3339 } from "../lib/time";
import type { Entry, EntryDraft, OutreachBody } from "../tauri/types";

/** patrol_model::MAX_OUTREACH_AUDIENCE */
export const MAX_OUTREACH_AUDIENCE = 100_000;

export interface OutreachValues {
  village: string;
  topic: string;
  audience: string;
  description: string;
  lat: string;
  lon: string;
  accuracy: string;
  photos: string[];
}

export const outreachDefaults = (): OutreachValues => ({
  village: "",
  topic: "",
  audience: "",
  description: "",
  lat: "",
  lon: "",
  accuracy: "",
  photos: [],
});

/** Problems keyed by the store's field names (`body.audience` → `audience`). */
export function checkOutreach(values: OutreachValues): FieldErrors {
  return {
    ...checkCoordinates(values.lat, values.lon),
    ...onlyProblems({
      village: checkShortText(values.village, "请填写宣传村寨"),
      topic: checkShortText(values.topic, "请填写宣传主题"),
      audience: checkHeadCount(values.audience, 1, MAX_OUTREACH_AUDIENCE, "受教育人数", "请填写受教育人数"),
      description: checkLongText(values.description),
    }),
  };
}

export function outreachDraft(values: OutreachValues, author: string | null, occurredAt: string = toLocalRfc3339()): EntryDraft {
  const draft: EntryDraft = {
    kind: "outreach",
    occurred_at: occurredAt,
    body: {
      village: values.village.trim(),
      topic: values.topic.trim(),
      audience: headCountOf(values.audience),
      description: values.description.trim(),
    },
  };
  const location = locationOf(values.lat, values.lon, values.accuracy);
  if (location) draft.location = location;
  if (author) draft.author = author;
  return draft;
}

/** A stored session as form values (edit). */
export function outreachValuesOf(entry: Entry): OutreachValues {
  const body = entry.body as Partial<OutreachBody>;
  return {
    village: body.village ?? "",
    topic: body.topic ?? "",
    audience: typeof body.audience === "number" ? String(body.audience) : "",
    description: body.description ?? "",
    lat: entry.location ? String(entry.location.lat) : "",
    lon: entry.location ? String(entry.location.lon) : "",
    accuracy: entry.location?.accuracy_m !== undefined ? String(entry.location.accuracy_m) : "",
    photos: entry.photos.map((photo) => photo.sha256),
  };
}
