// The entries of GET /api/v1/admin/map as the map draws them: each feature keeps only what
// the layers style on — its id, legend entry, status and, for an open hazard, its severity
// rank and how long it has been open (the popup looks the rest up by id, so the map's worker
// is not sent every title) — and they are split into the two sources the map has: open
// hazards (clustered when zoomed out, drawn on top) and everything else.
import type { FeatureCollection, Geometry } from "geojson";
import type { MapFeature } from "../api/types";
import { HAZARD_SEVERITIES } from "../api/types";

export type LegendKey = "patrol" | "hazardOpen" | "hazardFixed" | "repair" | "other";
export type HazardSeverity = (typeof HAZARD_SEVERITIES)[number];

/** How long an open hazard has waited: under 30 days, 30 to 90 days, over 90 days. */
export type AgeClass = 0 | 1 | 2;
export const AGE_CLASS_DAYS = [30, 90] as const;

export interface DrawnProperties {
  id: string;
  status: string | null;
  legend: LegendKey;
  /** low 1 … critical 4; 0 when the hazard has no (known) severity, and for other kinds. */
  severity_rank: number;
  age_class: AgeClass;
}

export type DrawnCollection = FeatureCollection<Geometry, DrawnProperties>;

export interface MapSources {
  /** Tracks, repairs, fixed hazards and the other kinds. */
  entries: DrawnCollection;
  /** Open hazards only (the clustered source). */
  openHazards: DrawnCollection;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function isOpenHazard(feature: MapFeature): boolean {
  return feature.properties.kind === "hazard" && feature.properties.status !== "fixed";
}

export function legendOf(feature: MapFeature): LegendKey {
  const { kind, status } = feature.properties;
  if (feature.geometry.type === "LineString" || kind === "patrol") return "patrol";
  if (kind === "hazard") return status === "fixed" ? "hazardFixed" : "hazardOpen";
  if (kind === "repair") return "repair";
  return "other";
}

export function severityRank(severity: string | null | undefined): number {
  const index = HAZARD_SEVERITIES.indexOf(severity as HazardSeverity);
  return index + 1;
}

export function ageClass(occurredAt: string, now: Date): AgeClass {
  const days = (now.getTime() - Date.parse(occurredAt)) / DAY_MS;
  if (!(days >= AGE_CLASS_DAYS[0])) return 0;
  return days >= AGE_CLASS_DAYS[1] ? 2 : 1;
}

export function drawnFeature(feature: MapFeature, now: Date): DrawnCollection["features"][number] {
  const open = isOpenHazard(feature);
  return {
    type: "Feature",
    geometry: feature.geometry,
    properties: {
      id: feature.properties.id,
      status: feature.properties.status,
      legend: legendOf(feature),
      severity_rank: open ? severityRank(feature.properties.severity) : 0,
      age_class: open ? ageClass(feature.properties.occurred_at, now) : 0,
    },
  };
}

/** The features shown: every one, or with `openOnly` the open hazards alone. */
export function visibleFeatures(features: readonly MapFeature[], openOnly: boolean): MapFeature[] {
  return openOnly ? features.filter(isOpenHazard) : [...features];
}

export function mapSources(features: readonly MapFeature[], now: Date): MapSources {
  const entries: DrawnCollection["features"] = [];
  const openHazards: DrawnCollection["features"] = [];
  for (const feature of features) (isOpenHazard(feature) ? openHazards : entries).push(drawnFeature(feature, now));
  return {
    entries: { type: "FeatureCollection", features: entries },
    openHazards: { type: "FeatureCollection", features: openHazards },
  };
}

export interface LegendCounts extends Record<LegendKey, number> {
  /** Open hazards per severity (and `unknown` without one). */
  severity: Record<HazardSeverity | "unknown", number>;
  /** Open hazards per age class. */
  age: [number, number, number];
}

/** How many features fall under each legend entry (the legend shows the counts). */
export function legendCounts(features: readonly MapFeature[], now: Date): LegendCounts {
  const counts: LegendCounts = {
    patrol: 0,
    hazardOpen: 0,
    hazardFixed: 0,
    repair: 0,
    other: 0,
    severity: { low: 0, medium: 0, high: 0, critical: 0, unknown: 0 },
    age: [0, 0, 0],
  };
  for (const feature of features) {
    counts[legendOf(feature)] += 1;
    if (!isOpenHazard(feature)) continue;
    const rank = severityRank(feature.properties.severity);
    counts.severity[rank === 0 ? "unknown" : HAZARD_SEVERITIES[rank - 1]!] += 1;
    counts.age[ageClass(feature.properties.occurred_at, now)] += 1;
  }
  return counts;
}

/** The bounding box [west, south, east, north] of the features, or null when there are none. */
export function featureBounds(features: readonly MapFeature[]): [number, number, number, number] | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const take = ([lon, lat]: [number, number]) => {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  };
  for (const feature of features) {
    if (feature.geometry.type === "Point") take(feature.geometry.coordinates);
    else feature.geometry.coordinates.forEach(take);
  }
  return west <= east ? [west, south, east, north] : null;
}
