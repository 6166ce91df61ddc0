import { validateStyleMin } from "@maplibre/maplibre-gl-style-spec";
import { describe, expect, it } from "vitest";
import { BASEMAP_LAYERS, BASEMAP_SOURCE, RASTER_SOURCE, basemapStyle, pmtilesUrl } from "./basemapStyle";

const ARCHIVE = "http://127.0.0.1:8080/api/v1/admin/map/archive";

describe("basemapStyle (the county basemap as a MapLibre style)", () => {
  it("is a plain background alone without an archive or tile address", () => {
    const style = basemapStyle();
    expect(style.layers.map((layer) => layer.id)).toEqual([BASEMAP_LAYERS.background]);
    expect(style.sources).toEqual({});
    expect(validateStyleMin(style)).toEqual([]);
  });

  it("reads the archive through pmtiles:// with its border (dashed, strong) over its trails (thin)", () => {
    const style = basemapStyle({ archiveUrl: ARCHIVE, minZoom: 0, maxZoom: 15 });
    expect(style.sources[BASEMAP_SOURCE]).toEqual({ type: "vector", url: `pmtiles://${ARCHIVE}`, minzoom: 0, maxzoom: 15 });
    expect(style.layers.map((layer) => layer.id)).toEqual([BASEMAP_LAYERS.background, BASEMAP_LAYERS.trails, BASEMAP_LAYERS.border]);
    const [, trails, border] = style.layers as [unknown, Record<string, any>, Record<string, any>];
    expect(trails).toMatchObject({ type: "line", source: BASEMAP_SOURCE, "source-layer": "trails" });
    expect(border).toMatchObject({ type: "line", source: BASEMAP_SOURCE, "source-layer": "border" });
    expect(border.paint["line-dasharray"]).toBeDefined();
    expect(trails.paint["line-dasharray"]).toBeUndefined();
    // The border is drawn wider than the trails at every zoom of the ramp.
    const widths = (layer: Record<string, any>) => (layer.paint["line-width"] as number[]).slice(3).filter((_, index) => index % 2 === 1);
    expect(Math.min(...widths(border))).toBeGreaterThan(Math.max(...widths(trails)));
    expect(validateStyleMin(style)).toEqual([]);
  });

  it("puts the server's raster tiles above the background and under the vector lines", () => {
    const tiles = "http://127.0.0.1:9000/tiles/{z}/{x}/{y}.png";
    const style = basemapStyle({ archiveUrl: ARCHIVE, rasterTileUrl: tiles });
    expect(style.sources[RASTER_SOURCE]).toMatchObject({ type: "raster", tiles: [tiles], tileSize: 256 });
    expect(style.layers.map((layer) => layer.id)).toEqual([
      BASEMAP_LAYERS.background,
      BASEMAP_LAYERS.raster,
      BASEMAP_LAYERS.trails,
      BASEMAP_LAYERS.border,
    ]);
    expect(validateStyleMin(basemapStyle({ rasterTileUrl: tiles }))).toEqual([]);
  });

  it("needs nothing from outside: no glyphs, no sprite, no text layer", () => {
    const style = basemapStyle({ archiveUrl: ARCHIVE, rasterTileUrl: "http://127.0.0.1:9000/{z}/{x}/{y}.png" });
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(style.layers.some((layer) => layer.type === "symbol")).toBe(false);
  });

  it("names the archive in the form the PMTiles protocol reads", () => {
    expect(pmtilesUrl(ARCHIVE)).toBe("pmtiles://http://127.0.0.1:8080/api/v1/admin/map/archive");
  });
});
