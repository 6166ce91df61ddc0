// The closed vocabularies of patrol-model as code lists, from the generated
// ui/src/generated/vocabularies.ts; their labels are in i18n under `vocab.*`, built from the same
// file (i18n/vocabLabels.ts).
import {
  ACTIVITY_TYPE,
  CRIME_TYPE,
  HAZARD_CATEGORY,
  HAZARD_SEVERITY,
  PARTNER_UNIT,
  REPAIR_CATEGORY,
  UNIT,
  type RepairCategory,
  type Unit,
} from "../generated/vocabularies";

export type { RepairCategory } from "../generated/vocabularies";

export const HAZARD_CATEGORIES = HAZARD_CATEGORY.map((value) => value.code);
export const HAZARD_SEVERITIES = HAZARD_SEVERITY.map((value) => value.code);
export const REPAIR_CATEGORIES = REPAIR_CATEGORY.map((value) => value.code);
export const PARTNER_UNITS = PARTNER_UNIT.map((value) => value.code);
export const CRIME_TYPES = CRIME_TYPE.map((value) => value.code);
export const ACTIVITY_TYPES = ACTIVITY_TYPE.map((value) => value.code);
/** The units a repair is measured in (persons count incidents, outreach and activities). */
export const UNITS = UNIT.map((value) => value.code).filter((code) => code !== "persons");

export type UnitCode = Exclude<Unit, "persons">;

/** The unit the county totals a repair category in (RepairCategory::unit); unknown: counted. */
export function categoryUnit(category: string): UnitCode {
  const unit = REPAIR_CATEGORY.find((value) => value.code === (category as RepairCategory))?.unit;
  return unit === "km" || unit === "m" ? unit : "count";
}

/** Units a member may choose for a category: road and fence in km or m, the rest counted. */
export function unitsFor(category: string): UnitCode[] {
  const unit = categoryUnit(category);
  return unit === "count" ? ["count"] : ["km", "m"];
}
