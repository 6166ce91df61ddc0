// The county basemap as a MapLibre style, shared by the dashboard and (later) the field app:
// a plain background, an optional raster layer when the server names a tile address
// (`serve --map-tile-url`), and the county archive's vector layers — `trails` (known trails,
// thin) under `border` (the national land border, a strong dashed line). The archive is a
// PMTiles v3 file read through the `pmtiles://` protocol (pmtilesProtocol.ts); without one the
// style is the background (and raster) alone. No text layers, so no glyphs URL: nothing is
// ever fetched from outside the county server.
import type { LayerSpecification, SourceSpecification, StyleSpecification } from "maplibre-gl";

export interface BasemapOptions {
  /** The archive's absolute URL (`https://county/api/v1/admin/map/archive`); none: no archive. */
  archiveUrl?: string | null;
  /** A `{z}/{x}/{y}` raster tile template; none: no raster layer. */
  rasterTileUrl?: string | null;
  /** The archive's zoom range (map/status); MapLibre overzooms past the maximum. */
  minZoom?: number;
  maxZoom?: number;
}

export const BASEMAP_SOURCE = "county-basemap";
export const RASTER_SOURCE = "county-raster";

/** The basemap's layer ids, bottom to top; data layers go above `border`. */
export const BASEMAP_LAYERS = {
  background: "basemap-background",
  raster: "basemap-raster",
  trails: "basemap-trails",
  border: "basemap-border",
} as const;

export const BASEMAP_COLOURS = {
  background: "#eef1ea",
  trails: "#8c7a5b",
  border: "#7a1f5c",
} as const;

/** `pmtiles://` + the absolute URL, the form the PMTiles protocol reads. */
export function pmtilesUrl(archiveUrl: string): string {
  return `pmtiles://${archiveUrl}`;
}

export function basemapStyle(options: BasemapOptions = {}): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {};
  const layers: LayerSpecification[] = [
    { id: BASEMAP_LAYERS.background, type: "background", paint: { "background-color": BASEMAP_COLOURS.background } },
  ];
  if (options.rasterTileUrl) {
    sources[RASTER_SOURCE] = { type: "raster", tiles: [options.rasterTileUrl], tileSize: 256, maxzoom: 18 };
    layers.push({ id: BASEMAP_LAYERS.raster, type: "raster", source: RASTER_SOURCE });
  }
  if (options.archiveUrl) {
    sources[BASEMAP_SOURCE] = {
      type: "vector",
      url: pmtilesUrl(options.archiveUrl),
      ...(options.minZoom === undefined ? {} : { minzoom: options.minZoom }),
      ...(options.maxZoom === undefined ? {} : { maxzoom: options.maxZoom }),
    };
    layers.push(
      {
        id: BASEMAP_LAYERS.trails,
        type: "line",
        source: BASEMAP_SOURCE,
        "source-layer": "trails",
        layout: { "line-join": "round", "line-cap": "round" },
        paint: {
          "line-color": BASEMAP_COLOURS.trails,
          "line-width": ["interpolate", ["linear"], ["zoom"], 8, 0.6, 14, 1.6],
          "line-opacity": 0.8,
        },
      },
      {
        id: BASEMAP_LAYERS.border,
        type: "line",
        source: BASEMAP_SOURCE,
        "source-layer": "border",
        layout: { "line-join": "round" },
        paint: {
          "line-color": BASEMAP_COLOURS.border,
          "line-width": ["interpolate", ["linear"], ["zoom"], 6, 2, 14, 4],
          "line-dasharray": [4, 2],
        },
      },
    );
  }
  return { version: 8, name: "county-basemap", sources, layers };
}
