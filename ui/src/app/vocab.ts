// The closed vocabularies of patrol-model (crates/patrol-model/src/body), as codes; their
// labels are in i18n under `vocab.*`.

export const HAZARD_CATEGORIES = ["road", "landslide", "water", "power", "fence", "camera", "crossing", "other"] as const;
export const HAZARD_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export const REPAIR_CATEGORIES = ["road", "landslide", "water", "power", "fence", "camera", "other"] as const;
export const PARTNER_UNITS = ["army", "police", "village_committee", "other"] as const;
export const UNITS = ["km", "m", "count"] as const;

export type RepairCategory = (typeof REPAIR_CATEGORIES)[number];
export type UnitCode = (typeof UNITS)[number];

/** The unit the county totals a repair category in (RepairCategory::unit). */
export function categoryUnit(category: string): UnitCode {
  if (category === "road") return "km";
  if (category === "fence") return "m";
  return "count";
}

/** Units a member may choose for a category: road and fence in km or m, the rest counted. */
export function unitsFor(category: string): UnitCode[] {
  const unit = categoryUnit(category);
  return unit === "count" ? ["count"] : ["km", "m"];
}
