import { validateStyleMin } from "@maplibre/maplibre-gl-style-spec";
import { describe, expect, it } from "vitest";
import { BASEMAP_LAYERS } from "../../../src/map/basemapStyle";
import {
  AGE_RING,
  CLICKABLE_LAYERS,
  ENTRY_LAYERS,
  MAP_COLOURS,
  OPEN_HAZARD_SOURCE,
  SEVERITY_STYLE,
  entryLayers,
  entryMapStyle,
  openHazardSourceSpec,
  squareImage,
} from "./mapLayers";

const ARCHIVE = { url: "http://127.0.0.1:8080/api/v1/admin/map/archive", minZoom: 0, maxZoom: 15, bounds: null };

describe("the map's layers", () => {
  it("draws, bottom to top: the basemap, tracks, other points, repairs, fixed hazards, then the open hazards", () => {
    const ids = entryMapStyle(ARCHIVE, null).layers.map((layer) => layer.id);
    expect(ids).toEqual([
      BASEMAP_LAYERS.background,
      BASEMAP_LAYERS.trails,
      BASEMAP_LAYERS.border,
      ENTRY_LAYERS.tracks,
      ENTRY_LAYERS.runningTracks,
      ENTRY_LAYERS.points,
      ENTRY_LAYERS.repairs,
      ENTRY_LAYERS.fixedHazards,
      ENTRY_LAYERS.hazardClusters,
      ENTRY_LAYERS.openHazards,
    ]);
    expect(ids[ids.length - 1]).toBe(ENTRY_LAYERS.openHazards);
  });

  it("is a valid MapLibre style, with an archive and without", () => {
    expect(validateStyleMin(entryMapStyle(ARCHIVE, "http://127.0.0.1:9000/{z}/{x}/{y}.png"))).toEqual([]);
    expect(validateStyleMin(entryMapStyle(null, null))).toEqual([]);
  });

  it("needs no glyphs: the only symbol layer is the repairs' icon, without text", () => {
    const style = entryMapStyle(ARCHIVE, null);
    expect(style.glyphs).toBeUndefined();
    const symbols = style.layers.filter((layer) => layer.type === "symbol");
    expect(symbols.map((layer) => layer.id)).toEqual([ENTRY_LAYERS.repairs]);
    expect(symbols[0]!.layout).not.toHaveProperty("text-field");
  });

  it("clusters the open hazards, keeping each cluster's worst severity and oldest age", () => {
    const source = openHazardSourceSpec();
    expect(source.cluster).toBe(true);
    expect(Object.keys(source.clusterProperties ?? {})).toEqual(["max_rank", "max_age"]);
    const layers = entryLayers();
    const clusterLayer = layers.find((layer) => layer.id === ENTRY_LAYERS.hazardClusters)!;
    const openLayer = layers.find((layer) => layer.id === ENTRY_LAYERS.openHazards)!;
    expect(clusterLayer).toMatchObject({ source: OPEN_HAZARD_SOURCE, filter: ["has", "point_count"] });
    expect(openLayer).toMatchObject({ source: OPEN_HAZARD_SOURCE, filter: ["!", ["has", "point_count"]] });
  });

  it("styles open hazards by severity (a bigger, darker circle the worse) and age (a stronger ring the older)", () => {
    const order = ["low", "medium", "high", "critical"] as const;
    const radii = order.map((severity) => SEVERITY_STYLE[severity].radius);
    expect([...radii].sort((a, b) => a - b)).toEqual(radii);
    expect(new Set(order.map((severity) => SEVERITY_STYLE[severity].color)).size).toBe(4);
    expect(AGE_RING[0].width).toBeLessThan(AGE_RING[1].width);
    expect(AGE_RING[1].width).toBeLessThan(AGE_RING[2].width);
    const openLayer = entryLayers().find((layer) => layer.id === ENTRY_LAYERS.openHazards) as { paint: Record<string, unknown> };
    expect(openLayer.paint["circle-color"]).toEqual([
      "match",
      ["get", "severity_rank"],
      1, SEVERITY_STYLE.low.color,
      2, SEVERITY_STYLE.medium.color,
      3, SEVERITY_STYLE.high.color,
      4, SEVERITY_STYLE.critical.color,
      SEVERITY_STYLE.unknown.color,
    ]);
    expect(openLayer.paint["circle-stroke-width"]).toEqual(["match", ["get", "age_class"], 1, AGE_RING[1].width, 2, AGE_RING[2].width, AGE_RING[0].width]);
  });

  it("draws fixed hazards smaller than any open one, in a muted colour", () => {
    const fixed = entryLayers().find((layer) => layer.id === ENTRY_LAYERS.fixedHazards) as { paint: Record<string, unknown> };
    const smallestOpen = Math.min(...Object.values(SEVERITY_STYLE).map((style) => style.radius));
    expect(fixed.paint["circle-radius"]).toBeLessThan(smallestOpen);
    expect(fixed.paint["circle-color"]).toBe(MAP_COLOURS.hazardFixed);
  });

  it("opens a popup from the top layer first", () => {
    expect(CLICKABLE_LAYERS[0]).toBe(ENTRY_LAYERS.openHazards);
  });

  it("makes the repairs' square, white-edged, at the screen's pixel ratio", () => {
    const image = squareImage(12, 2);
    expect(image).toMatchObject({ width: 24, height: 24 });
    expect(image.data.length).toBe(24 * 24 * 4);
    expect([...image.data.slice(0, 4)]).toEqual([255, 255, 255, 255]);
    const middle = (12 * 24 + 12) * 4;
    expect([...image.data.slice(middle, middle + 4)]).toEqual([0xd9, 0x7a, 0x00, 255]);
  });
});
