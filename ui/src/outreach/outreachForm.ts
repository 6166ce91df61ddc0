// The outreach (普法宣传) form's values, its own checks and the draft `record_entry` receives
// (patrol_model::OutreachBody: village and topic required, audience 1–100000, description).
import { checkCoordinates, type FieldErrors } from "../forms/problems";
import { checkHeadCount, checkLongText, checkShortText, headCountOf, onlyProblems } from "../forms/entryChecks";
import { blankEnvelope, entryDraftOf, envelopeValuesOf, type EnvelopeValues } from "../forms/entryDraft";
import type { Entry, EntryDraft, OutreachBody } from "../tauri/types";
import type { Translate } from "../i18n";
import { MAX_OUTREACH_AUDIENCE } from "../generated/limits";
export { MAX_OUTREACH_AUDIENCE };

export interface OutreachValues extends EnvelopeValues {
  village: string;
  topic: string;
  audience: string;
  description: string;
  photos: string[];
}

export const outreachDefaults = (): OutreachValues => ({
  village: "",
  topic: "",
  audience: "",
  description: "",
  ...blankEnvelope(),
  photos: [],
});

/** Problems keyed by the store's field names (`body.audience` → `audience`). */
export function checkOutreach(values: OutreachValues, t: Translate): FieldErrors {
  return {
    ...checkCoordinates(values.lat, values.lon, t),
    ...onlyProblems({
      village: checkShortText(values.village, t, t("check.villageMissing")),
      topic: checkShortText(values.topic, t, t("check.topicMissing")),
      audience: checkHeadCount(values.audience, t, {
        min: 1,
        max: MAX_OUTREACH_AUDIENCE,
        label: t("outreach.audience"),
        missing: t("check.audienceMissing"),
      }),
      description: checkLongText(values.description, t),
    }),
  };
}

export function outreachDraft(values: OutreachValues, author: string | null, occurredAt?: string): EntryDraft {
  const body = {
    village: values.village.trim(),
    topic: values.topic.trim(),
    audience: headCountOf(values.audience),
    description: values.description.trim(),
  };
  return entryDraftOf("outreach", body, values, author, occurredAt);
}

/** A stored session as form values (edit). */
export function outreachValuesOf(entry: Entry): OutreachValues {
  const body = entry.body as Partial<OutreachBody>;
  return {
    village: body.village ?? "",
    topic: body.topic ?? "",
    audience: typeof body.audience === "number" ? String(body.audience) : "",
    description: body.description ?? "",
    ...envelopeValuesOf(entry),
    photos: entry.photos.map((photo) => photo.sha256),
  };
}
