// The incident (案件) form's values, its own checks and the draft `record_entry` receives
// (patrol_model::IncidentBody: crime type, persons 0–1000, whom it was handed to, description).
import { checkCoordinates, type FieldErrors } from "../forms/problems";
import { checkHeadCount, checkLongText, checkShortText, headCountOf, onlyProblems } from "../forms/entryChecks";
import { blankEnvelope, entryDraftOf, envelopeValuesOf, type EnvelopeValues } from "../forms/entryDraft";
import type { Entry, EntryDraft, IncidentBody } from "../tauri/types";
import type { Translate } from "../i18n";
import { MAX_INCIDENT_PERSONS } from "../generated/limits";
export { MAX_INCIDENT_PERSONS };

export { CRIME_TYPES } from "../app/vocab";

export interface IncidentValues extends EnvelopeValues {
  crimeType: string;
  persons: string;
  handedTo: string;
  description: string;
  photos: string[];
}

export const incidentDefaults = (): IncidentValues => ({
  crimeType: "",
  persons: "",
  handedTo: "",
  description: "",
  ...blankEnvelope(),
  photos: [],
});

/** Problems keyed by the store's field names (`body.persons` → `persons`). */
export function checkIncident(values: IncidentValues, t: Translate): FieldErrors {
  return {
    ...checkCoordinates(values.lat, values.lon, t),
    ...onlyProblems({
      crime_type: values.crimeType ? undefined : t("check.crimeType"),
      persons: checkHeadCount(values.persons, t, {
        min: 0,
        max: MAX_INCIDENT_PERSONS,
        label: t("incident.persons"),
        missing: t("check.personsMissing"),
      }),
      handed_to: checkShortText(values.handedTo, t),
      description: checkLongText(values.description, t),
    }),
  };
}

export function incidentDraft(values: IncidentValues, author: string | null, occurredAt?: string): EntryDraft {
  const body = {
    crime_type: values.crimeType,
    persons: headCountOf(values.persons),
    handed_to: values.handedTo.trim(),
    description: values.description.trim(),
  };
  return entryDraftOf("incident", body, values, author, occurredAt);
}

/** A stored incident as form values (edit). */
export function incidentValuesOf(entry: Entry): IncidentValues {
  const body = entry.body as Partial<IncidentBody>;
  return {
    crimeType: body.crime_type ?? "",
    persons: typeof body.persons === "number" ? String(body.persons) : "",
    handedTo: body.handed_to ?? "",
    description: body.description ?? "",
    ...envelopeValuesOf(entry),
    photos: entry.photos.map((photo) => photo.sha256),
  };
}
