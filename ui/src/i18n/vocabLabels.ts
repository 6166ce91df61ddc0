// The `vocab`, `kind` and `status` message sections, built from patrol-model's closed
// vocabularies (ui/src/generated/vocabularies.ts): one code → label map per vocabulary and
// language, so the labels are Rust's and the keys (`vocab.hazardCategory.road`) stay as screens
// use them.
import {
  ACTIVITY_TYPE,
  COMPASS_POINT,
  COORDINATE_DATUM,
  CRIME_TYPE,
  ENTRY_KIND,
  ENTRY_STATUS,
  HAZARD_CATEGORY,
  HAZARD_SEVERITY,
  PARTNER_UNIT,
  PHOTO_ROLE,
  REPAIR_CATEGORY,
  REVIEW_DECISION,
  UNIT,
} from "../generated/vocabularies";

export type Language = "zh" | "en";

interface Coded {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
}

/** `[{code: "low", zh: "低", en: "Low"}, …]` → `{low: "低", …}`. */
export function labelsOf<const V extends readonly Coded[]>(values: V, language: Language): Record<V[number]["code"], string> {
  return Object.fromEntries(values.map((value) => [value.code, value[language]])) as Record<V[number]["code"], string>;
}

/** The `vocab` section: every closed vocabulary's labels, under the keys screens use. */
export function vocabMessages(language: Language) {
  return {
    hazardCategory: labelsOf(HAZARD_CATEGORY, language),
    severity: labelsOf(HAZARD_SEVERITY, language),
    repairCategory: labelsOf(REPAIR_CATEGORY, language),
    partner: labelsOf(PARTNER_UNIT, language),
    unit: labelsOf(UNIT, language),
    crimeType: labelsOf(CRIME_TYPE, language),
    activityType: labelsOf(ACTIVITY_TYPE, language),
    photoRole: labelsOf(PHOTO_ROLE, language),
    reviewDecision: labelsOf(REVIEW_DECISION, language),
    coordinateDatum: labelsOf(COORDINATE_DATUM, language),
    compassPoint: labelsOf(COMPASS_POINT, language),
  };
}

/** The `kind` section: each entry kind's label, and `unknown` for a code this app does not know. */
export function kindMessages(language: Language) {
  return { ...labelsOf(ENTRY_KIND, language), unknown: language === "zh" ? "其他" : "Other" };
}

/** The `status` section: each entry status's label, and `unknown`. */
export function statusMessages(language: Language) {
  return { ...labelsOf(ENTRY_STATUS, language), unknown: language === "zh" ? "未知" : "Unknown" };
}
