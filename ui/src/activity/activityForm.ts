// The activity (活动) form's values, its own checks and the draft `record_entry` receives
// (patrol_model::ActivityBody: type, attendees 1–10000, topic, description).
import { checkCoordinates, type FieldErrors } from "../forms/problems";
import { checkHeadCount, checkLongText, headCountOf, onlyProblems } from "../forms/entryChecks";
import { blankEnvelope, entryDraftOf, envelopeValuesOf, type EnvelopeValues } from "../forms/entryDraft";
import type { ActivityBody, Entry, EntryDraft } from "../tauri/types";
import type { Translate } from "../i18n";
import { MAX_ACTIVITY_ATTENDEES } from "../generated/limits";
export { MAX_ACTIVITY_ATTENDEES };

export { ACTIVITY_TYPES } from "../app/vocab";

export interface ActivityValues extends EnvelopeValues {
  activityType: string;
  attendees: string;
  topic: string;
  description: string;
  photos: string[];
}

export const activityDefaults = (): ActivityValues => ({
  activityType: "",
  attendees: "",
  topic: "",
  description: "",
  ...blankEnvelope(),
  photos: [],
});

/** Problems keyed by the store's field names (`body.attendees` → `attendees`). */
export function checkActivity(values: ActivityValues, t: Translate): FieldErrors {
  return {
    ...checkCoordinates(values.lat, values.lon, t),
    ...onlyProblems({
      activity_type: values.activityType ? undefined : t("check.activityType"),
      attendees: checkHeadCount(values.attendees, t, {
        min: 1,
        max: MAX_ACTIVITY_ATTENDEES,
        label: t("activity.attendees"),
        missing: t("check.attendeesMissing"),
      }),
      topic: checkLongText(values.topic, t),
      description: checkLongText(values.description, t),
    }),
  };
}

export function activityDraft(values: ActivityValues, author: string | null, occurredAt?: string): EntryDraft {
  const body = {
    activity_type: values.activityType,
    attendees: headCountOf(values.attendees),
    topic: values.topic.trim(),
    description: values.description.trim(),
  };
  return entryDraftOf("activity", body, values, author, occurredAt);
}

/** A stored activity as form values (edit). */
export function activityValuesOf(entry: Entry): ActivityValues {
  const body = entry.body as Partial<ActivityBody>;
  return {
    activityType: body.activity_type ?? "",
    attendees: typeof body.attendees === "number" ? String(body.attendees) : "",
    topic: body.topic ?? "",
    description: body.description ?? "",
    ...envelopeValuesOf(entry),
    photos: entry.photos.map((photo) => photo.sha256),
  };
}
