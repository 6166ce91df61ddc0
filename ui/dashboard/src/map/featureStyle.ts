// How each feature of GET /api/v1/admin/map is drawn: patrol tracks as lines, hazards as
// circles (open red, fixed green), repairs as squares, incidents / outreach / activities as
// small violet circles. Plain data, so the legend and the tests read the same table.
import type { MapFeature } from "../api/types";

export type LegendKey = "patrol" | "hazardOpen" | "hazardFixed" | "repair" | "other";

export type FeatureDrawing =
  | { legend: LegendKey; shape: "line"; color: string; weight: number; opacity: number; dashArray?: string }
  | { legend: LegendKey; shape: "circle"; color: string; fillColor: string; radius: number }
  | { legend: LegendKey; shape: "square"; color: string; size: number };

export const MAP_COLOURS = {
  patrol: "#1f5fbf",
  hazardOpen: "#d42a2a",
  hazardFixed: "#22913d",
  repair: "#d97a00",
  other: "#7446b8",
} as const;

/** The legend, in the order it is listed. */
export const LEGEND: { key: LegendKey; shape: "line" | "circle" | "square"; color: string }[] = [
  { key: "patrol", shape: "line", color: MAP_COLOURS.patrol },
  { key: "hazardOpen", shape: "circle", color: MAP_COLOURS.hazardOpen },
  { key: "hazardFixed", shape: "circle", color: MAP_COLOURS.hazardFixed },
  { key: "repair", shape: "square", color: MAP_COLOURS.repair },
  { key: "other", shape: "circle", color: MAP_COLOURS.other },
];

export function featureDrawing(feature: MapFeature): FeatureDrawing {
  const { kind, status } = feature.properties;
  if (feature.geometry.type === "LineString") {
    // A patrol still running is dashed: its track is not final yet.
    return {
      legend: "patrol",
      shape: "line",
      color: MAP_COLOURS.patrol,
      weight: 3,
      opacity: 0.85,
      ...(status === "running" ? { dashArray: "6 6" } : {}),
    };
  }
  if (kind === "hazard") {
    const fixed = status === "fixed";
    const color = fixed ? MAP_COLOURS.hazardFixed : MAP_COLOURS.hazardOpen;
    return { legend: fixed ? "hazardFixed" : "hazardOpen", shape: "circle", color, fillColor: color, radius: 7 };
  }
  if (kind === "repair") return { legend: "repair", shape: "square", color: MAP_COLOURS.repair, size: 12 };
  if (kind === "patrol") {
    // A patrol without a track but with a place: where it started.
    return { legend: "patrol", shape: "circle", color: MAP_COLOURS.patrol, fillColor: MAP_COLOURS.patrol, radius: 5 };
  }
  return { legend: "other", shape: "circle", color: MAP_COLOURS.other, fillColor: MAP_COLOURS.other, radius: 5 };
}

/** How many features fall under each legend entry (the legend shows the counts). */
export function legendCounts(features: MapFeature[]): Record<LegendKey, number> {
  const counts: Record<LegendKey, number> = { patrol: 0, hazardOpen: 0, hazardFixed: 0, repair: 0, other: 0 };
  for (const feature of features) counts[featureDrawing(feature).legend] += 1;
  return counts;
}
