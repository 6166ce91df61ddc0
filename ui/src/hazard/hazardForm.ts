// The hazard form's values, its own checks and the draft `record_entry` receives.
import { checkCoordinates, type FieldErrors } from "../forms/problems";
import { checkLongText } from "../forms/entryChecks";
import { blankEnvelope, entryDraftOf, envelopeValuesOf, type EnvelopeValues } from "../forms/entryDraft";
import type { Entry, EntryDraft } from "../tauri/types";
import type { Translate } from "../i18n";

export interface HazardValues extends EnvelopeValues {
  category: string;
  severity: string;
  description: string;
  photos: string[];
}

export const hazardDefaults = (): HazardValues => ({
  category: "",
  severity: "",
  description: "",
  ...blankEnvelope(),
  photos: [],
});

export function checkHazard(values: HazardValues, t: Translate): FieldErrors {
  const errors: FieldErrors = { ...checkCoordinates(values.lat, values.lon, t) };
  if (!values.category) errors.category = t("check.hazardCategory");
  if (!values.severity) errors.severity = t("check.hazardSeverity");
  const description = checkLongText(values.description, t);
  if (description) errors.description = description;
  return errors;
}

export function hazardDraft(values: HazardValues, author: string | null, occurredAt?: string): EntryDraft {
  const body = { category: values.category, severity: values.severity, description: values.description.trim() };
  return entryDraftOf("hazard", body, values, author, occurredAt);
}

/** An existing hazard as form values (edit). */
export function hazardValuesOf(entry: Entry): HazardValues {
  const body = entry.body as Partial<{ category: string; severity: string; description: string }>;
  return {
    category: body.category ?? "",
    severity: body.severity ?? "",
    description: body.description ?? "",
    ...envelopeValuesOf(entry),
    photos: entry.photos.map((p) => p.sha256),
  };
}
