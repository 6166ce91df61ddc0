// The number on each open-hazard cluster, as an HTML marker over the cluster's circle: the
// map has no text layer (a text layer needs a glyphs URL, and the page fetches nothing from
// outside), and the browser's own font draws the digits. Markers are kept per cluster id and
// only those in view exist.
import type { Map as MaplibreMap, Marker } from "maplibre-gl";
import type { setUpMaplibre } from "../../../src/map/maplibre";
import { OPEN_HAZARD_SOURCE } from "./mapLayers";

type Maplibre = ReturnType<typeof setUpMaplibre>;

export class ClusterCounts {
  private shown = new Map<number, Marker>();
  private pending = false;

  constructor(
    private readonly maplibregl: Maplibre,
    private readonly map: MaplibreMap,
  ) {
    map.on("render", () => this.schedule());
  }

  /** Redraws at most once a frame, once the source has its clusters. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.update();
    });
  }

  update(): void {
    if (!this.map.getSource(OPEN_HAZARD_SOURCE) || !this.map.isSourceLoaded(OPEN_HAZARD_SOURCE)) return;
    const next = new Map<number, Marker>();
    for (const feature of this.map.querySourceFeatures(OPEN_HAZARD_SOURCE, { filter: ["has", "point_count"] })) {
      const id = Number(feature.properties.cluster_id);
      if (next.has(id) || feature.geometry.type !== "Point") continue;
      let marker = this.shown.get(id);
      if (!marker) {
        const label = document.createElement("div");
        label.className = "map-cluster-count";
        label.textContent = String(feature.properties.point_count);
        marker = new this.maplibregl.Marker({ element: label }).setLngLat(feature.geometry.coordinates as [number, number]).addTo(this.map);
      }
      next.set(id, marker);
    }
    for (const [id, marker] of this.shown) if (!next.has(id)) marker.remove();
    this.shown = next;
  }

  clear(): void {
    for (const marker of this.shown.values()) marker.remove();
    this.shown.clear();
  }
}
