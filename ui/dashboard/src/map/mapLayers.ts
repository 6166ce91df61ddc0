// How the entries are drawn over the basemap, as MapLibre sources and layers, bottom to top:
// patrol tracks (thin; a running patrol dashed), the other kinds' points, repairs (squares),
// fixed hazards (small, muted), then the open hazards on top — coloured and sized by severity,
// ringed by how long they have been open, and clustered when zoomed out (the cluster takes
// the colour of its worst hazard; its count is an HTML marker, clusterCounts.ts, so no text
// layer and no glyphs). Plain data: the legend and the tests read the same tables.
import type { GeoJSONSourceSpecification, LayerSpecification, StyleSpecification } from "maplibre-gl";
import { basemapStyle } from "../../../src/map/basemapStyle";
import type { AgeClass, HazardSeverity, LegendKey } from "./mapFeatures";

export const ENTRY_SOURCE = "entries";
export const OPEN_HAZARD_SOURCE = "open-hazards";
/** The repairs' square, added with map.addImage (squareImage below). */
export const REPAIR_SQUARE_IMAGE = "repair-square";

export const ENTRY_LAYERS = {
  tracks: "entry-tracks",
  runningTracks: "entry-tracks-running",
  points: "entry-points",
  repairs: "entry-repairs",
  fixedHazards: "entry-hazards-fixed",
  hazardClusters: "entry-hazard-clusters",
  openHazards: "entry-hazards-open",
} as const;

/** The layers a click opens a popup on (the clusters zoom in instead). */
export const CLICKABLE_LAYERS = [
  ENTRY_LAYERS.openHazards,
  ENTRY_LAYERS.fixedHazards,
  ENTRY_LAYERS.repairs,
  ENTRY_LAYERS.points,
  ENTRY_LAYERS.runningTracks,
  ENTRY_LAYERS.tracks,
];

export const MAP_COLOURS = {
  patrol: "#1f5fbf",
  hazardOpen: "#d42a2a",
  hazardFixed: "#6f9c7a",
  repair: "#d97a00",
  other: "#7446b8",
} as const;

export const SEVERITY_STYLE: Record<HazardSeverity | "unknown", { color: string; radius: number }> = {
  low: { color: "#e8b500", radius: 5 },
  medium: { color: "#f07800", radius: 6.5 },
  high: { color: "#d42a2a", radius: 8 },
  critical: { color: "#8a0a3c", radius: 10 },
  unknown: { color: MAP_COLOURS.hazardOpen, radius: 7 },
};

/** The open hazard's outline by age class: white under 30 days, a dark ring after, thick after 90. */
export const AGE_RING: Record<AgeClass, { color: string; width: number }> = {
  0: { color: "#ffffff", width: 1.5 },
  1: { color: "#3a2a2a", width: 2.5 },
  2: { color: "#111111", width: 4.5 },
};

/** Cluster sizes: radius by how many hazards it holds (≥ 10, ≥ 50, ≥ 200 step up). */
export const CLUSTER_RADII = [{ from: 0, radius: 13 }, { from: 10, radius: 17 }, { from: 50, radius: 22 }, { from: 200, radius: 28 }];
export const CLUSTER_MAX_ZOOM = 12;

const SEVERITY_ORDER = ["unknown", "low", "medium", "high", "critical"] as const;

/** A `match` on a rank (0 unknown, 1 low … 4 critical) picking one value per severity. */
function bySeverityRank(rank: unknown, pick: (style: { color: string; radius: number }) => string | number): unknown {
  const cases = SEVERITY_ORDER.slice(1).flatMap((severity, index) => [index + 1, pick(SEVERITY_STYLE[severity])]);
  return ["match", rank, ...cases, pick(SEVERITY_STYLE.unknown)];
}

function byAgeClass(property: string, pick: (ring: { color: string; width: number }) => string | number): unknown {
  return ["match", ["get", property], 1, pick(AGE_RING[1]), 2, pick(AGE_RING[2]), pick(AGE_RING[0])];
}

/** Tiled in the map's worker: a small tile buffer and no tiles past zoom 14 keep that quick. */
const GEOJSON_TILING = { buffer: 32, maxzoom: 14 } as const;

export function entrySourceSpec(): GeoJSONSourceSpecification {
  return { type: "geojson", data: { type: "FeatureCollection", features: [] }, ...GEOJSON_TILING };
}

export function openHazardSourceSpec(): GeoJSONSourceSpecification {
  return {
    type: "geojson",
    data: { type: "FeatureCollection", features: [] },
    ...GEOJSON_TILING,
    cluster: true,
    clusterRadius: 42,
    clusterMaxZoom: CLUSTER_MAX_ZOOM,
    // The worst severity and the oldest age inside each cluster.
    clusterProperties: {
      max_rank: ["max", ["get", "severity_rank"]],
      max_age: ["max", ["get", "age_class"]],
    },
  };
}

const isLine = ["==", ["geometry-type"], "LineString"];
const isPoint = ["==", ["geometry-type"], "Point"];
const notCluster = ["!", ["has", "point_count"]];

/** The data layers, bottom to top (they go above the basemap's layers). */
export function entryLayers(): LayerSpecification[] {
  const layers: unknown[] = [
    {
      id: ENTRY_LAYERS.tracks,
      type: "line",
      source: ENTRY_SOURCE,
      filter: ["all", isLine, ["!=", ["get", "status"], "running"]],
      layout: { "line-join": "round", "line-cap": "round" },
      paint: { "line-color": MAP_COLOURS.patrol, "line-width": ["interpolate", ["linear"], ["zoom"], 8, 1, 14, 2.5], "line-opacity": 0.7 },
    },
    {
      id: ENTRY_LAYERS.runningTracks,
      type: "line",
      source: ENTRY_SOURCE,
      filter: ["all", isLine, ["==", ["get", "status"], "running"]],
      layout: { "line-join": "round" },
      paint: { "line-color": MAP_COLOURS.patrol, "line-width": 2, "line-opacity": 0.85, "line-dasharray": [3, 3] },
    },
    {
      id: ENTRY_LAYERS.points,
      type: "circle",
      source: ENTRY_SOURCE,
      filter: ["all", isPoint, ["match", ["get", "legend"], ["patrol", "other"], true, false]],
      paint: {
        "circle-radius": 4.5,
        "circle-color": ["match", ["get", "legend"], "patrol", MAP_COLOURS.patrol, MAP_COLOURS.other],
        "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 1.2,
        "circle-opacity": 0.9,
      },
    },
    {
      id: ENTRY_LAYERS.repairs,
      type: "symbol",
      source: ENTRY_SOURCE,
      filter: ["all", isPoint, ["==", ["get", "legend"], "repair"]],
      layout: { "icon-image": REPAIR_SQUARE_IMAGE, "icon-allow-overlap": true, "icon-ignore-placement": true },
    },
    {
      id: ENTRY_LAYERS.fixedHazards,
      type: "circle",
      source: ENTRY_SOURCE,
      filter: ["all", isPoint, ["==", ["get", "legend"], "hazardFixed"]],
      paint: {
        "circle-radius": 3.5,
        "circle-color": MAP_COLOURS.hazardFixed,
        "circle-opacity": 0.75,
        "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 0.8,
      },
    },
    {
      id: ENTRY_LAYERS.hazardClusters,
      type: "circle",
      source: OPEN_HAZARD_SOURCE,
      filter: ["has", "point_count"],
      paint: {
        "circle-color": bySeverityRank(["get", "max_rank"], (style) => style.color),
        "circle-opacity": 0.88,
        "circle-radius": ["step", ["get", "point_count"], ...CLUSTER_RADII.flatMap(({ from, radius }, index) => (index === 0 ? [radius] : [from, radius]))],
        "circle-stroke-color": byAgeClass("max_age", (ring) => ring.color),
        "circle-stroke-width": byAgeClass("max_age", (ring) => ring.width),
      },
    },
    {
      id: ENTRY_LAYERS.openHazards,
      type: "circle",
      source: OPEN_HAZARD_SOURCE,
      filter: notCluster,
      layout: { "circle-sort-key": ["+", ["get", "severity_rank"], ["*", 10, ["get", "age_class"]]] },
      paint: {
        "circle-radius": bySeverityRank(["get", "severity_rank"], (style) => style.radius),
        "circle-color": bySeverityRank(["get", "severity_rank"], (style) => style.color),
        "circle-stroke-color": byAgeClass("age_class", (ring) => ring.color),
        "circle-stroke-width": byAgeClass("age_class", (ring) => ring.width),
      },
    },
  ];
  return layers as LayerSpecification[];
}

/** The repairs' square: `size` px, orange with a white edge, as map.addImage takes it. */
export function squareImage(size = 12, pixelRatio = 1): { width: number; height: number; data: Uint8Array } {
  const side = Math.round(size * pixelRatio);
  const edge = Math.max(1, Math.round(1.5 * pixelRatio));
  const fill = hexRgb(MAP_COLOURS.repair);
  const data = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const onEdge = x < edge || y < edge || x >= side - edge || y >= side - edge;
      data.set(onEdge ? [255, 255, 255, 255] : [...fill, 255], (y * side + x) * 4);
    }
  }
  return { width: side, height: side, data };
}

function hexRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** The legend's rows, in the order it lists them. */
export const LEGEND: { key: LegendKey; shape: "line" | "circle" | "square"; color: string }[] = [
  { key: "hazardOpen", shape: "circle", color: MAP_COLOURS.hazardOpen },
  { key: "hazardFixed", shape: "circle", color: MAP_COLOURS.hazardFixed },
  { key: "repair", shape: "square", color: MAP_COLOURS.repair },
  { key: "other", shape: "circle", color: MAP_COLOURS.other },
  { key: "patrol", shape: "line", color: MAP_COLOURS.patrol },
];

/** The county's archive as map/status describes it. */
export interface BasemapArchive {
  url: string;
  minZoom: number;
  maxZoom: number;
  bounds: [number, number, number, number] | null;
}

/** The whole style: the basemap, then the entries' sources and layers over it. */
export function entryMapStyle(archive: BasemapArchive | null, rasterTileUrl: string | null): StyleSpecification {
  const style = basemapStyle({
    archiveUrl: archive?.url ?? null,
    rasterTileUrl,
    ...(archive ? { minZoom: archive.minZoom, maxZoom: archive.maxZoom } : {}),
  });
  style.sources[ENTRY_SOURCE] = entrySourceSpec();
  style.sources[OPEN_HAZARD_SOURCE] = openHazardSourceSpec();
  style.layers.push(...entryLayers());
  return style;
}
