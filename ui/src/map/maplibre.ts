// MapLibre GL, set up once for a bundled, offline page: its worker is a file of this build
// (served from the page's own origin, so a CSP of `script-src 'self'` admits it: no blob:
// worker) and the `pmtiles://` protocol reads the county's basemap archive with Range
// requests. Import maplibre-gl through this module, never directly.
import * as maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url";
import { Protocol } from "pmtiles";

let ready = false;

export function setUpMaplibre(): typeof maplibregl {
  if (!ready) {
    maplibregl.setWorkerUrl(workerUrl);
    maplibregl.addProtocol("pmtiles", new Protocol().tile);
    // Start the worker now, while the page asks for its data, not when the map is made.
    maplibregl.prewarm();
    ready = true;
  }
  return maplibregl;
}

export type { Map as MaplibreMap } from "maplibre-gl";
