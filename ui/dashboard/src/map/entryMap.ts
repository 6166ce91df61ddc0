// The MapLibre side of the map page: the county basemap (ui/src/map/basemapStyle.ts: the
// archive's border and trails, a raster layer when the server names a tile address) with the
// entries' layers over it (mapLayers.ts), a popup per clicked entry, clusters that zoom in
// when clicked, and what the page shows of it: whether the basemap loaded, the zoom step to
// ask the server for, when the data was first drawn.
import type { GeoJSONSource, LngLatBoundsLike, Map as MaplibreMap, MapGeoJSONFeature, Popup } from "maplibre-gl";
import { BASEMAP_SOURCE } from "../../../src/map/basemapStyle";
import { setUpMaplibre } from "../../../src/map/maplibre";
import type { MapFeatureProperties } from "../api/types";
import { ClusterCounts } from "./clusterCounts";
import { entryPopup, type PopupText } from "./entryPopup";
import type { MapSources } from "./mapFeatures";
import { HOME_CENTER, HOME_ZOOM } from "./mapHome";
import {
  type BasemapArchive,
  CLICKABLE_LAYERS,
  ENTRY_LAYERS,
  ENTRY_SOURCE,
  OPEN_HAZARD_SOURCE,
  REPAIR_SQUARE_IMAGE,
  entryMapStyle,
  squareImage,
} from "./mapLayers";
import { zoomStep } from "./zoomStep";

export type BasemapState = "loaded" | "none";

export interface EntryMapOptions {
  archive: BasemapArchive | null;
  rasterTileUrl: string | null;
  popupText: PopupText;
  openEntry: (id: string) => void;
  onBasemap: (state: BasemapState) => void;
  onZoomStep: (step: number) => void;
  onView: (view: { lon: number; lat: number; zoom: number }) => void;
  /** Room kept free when fitting the view to the data (the legend's side). */
  fitPadding: () => { top: number; right: number; bottom: number; left: number };
  /** The data given to showFeatures is drawn (the first frame with both sources loaded). */
  onDrawn: (at: number) => void;
}

/** MapLibre's worker starts loading (the page calls this while it asks for its data). */
export function warmUpEntryMap(): void {
  setUpMaplibre();
}

export class EntryMap {
  private readonly map: MaplibreMap;
  private readonly counts: ClusterCounts;
  private popup: Popup | null = null;
  /** The drawn entries' properties by id, for the popup. */
  private details = new Map<string, MapFeatureProperties>();
  private step: number;
  private basemap: BasemapState | null = null;
  /** Sources set by showFeatures whose data the worker has not loaded yet; null: nothing awaited. */
  private awaitingData: Set<string> | null = null;

  constructor(
    container: HTMLElement,
    private readonly options: EntryMapOptions,
  ) {
    const maplibregl = setUpMaplibre();
    const start = options.archive?.bounds
      ? { bounds: options.archive.bounds as LngLatBoundsLike, fitBoundsOptions: { padding: options.fitPadding() } }
      : { center: HOME_CENTER, zoom: HOME_ZOOM };
    this.map = new maplibregl.Map({
      container,
      style: entryMapStyle(options.archive, options.rasterTileUrl),
      ...start,
      minZoom: 3,
      maxZoom: 18,
      attributionControl: false,
      // Raster tiles as <img> (the CSP's img-src names the tile server; connect-src does not).
      refreshExpiredTiles: false,
      // No symbol fades: the map is idle (drawn) as soon as its tiles are in.
      fadeDuration: 0,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "bottom-right");
    this.map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
    this.counts = new ClusterCounts(maplibregl, this.map);
    this.step = zoomStep(this.map.getZoom());

    this.map.setMissingStyleImageResolver((id) => {
      if (id !== REPAIR_SQUARE_IMAGE || this.map.hasImage(id)) return;
      const ratio = window.devicePixelRatio || 1;
      this.map.addImage(id, squareImage(12, ratio), { pixelRatio: ratio });
    });
    if (!options.archive) this.setBasemap("none");
    this.map.on("sourcedata", (event) => {
      if (event.sourceId === BASEMAP_SOURCE && event.isSourceLoaded) this.setBasemap("loaded");
    });
    this.map.on("error", (event) => {
      const sourceId = (event as { sourceId?: string }).sourceId;
      if (sourceId === BASEMAP_SOURCE && this.basemap === null) this.setBasemap("none");
    });
    this.map.on("load", () => this.viewChanged());
    this.map.on("moveend", () => this.viewChanged());
    this.map.on("sourcedata", (event) => {
      if (event.sourceDataType === "metadata") this.awaitingData?.delete(event.sourceId);
    });
    // Drawn: the first frame once both data sources have their data and the tiles in view.
    this.map.on("render", () => {
      if (!this.awaitingData || this.awaitingData.size > 0) return;
      if (!this.map.isSourceLoaded(ENTRY_SOURCE) || !this.map.isSourceLoaded(OPEN_HAZARD_SOURCE)) return;
      this.awaitingData = null;
      this.options.onDrawn(performance.now());
    });
    this.map.on("click", (event) => this.clicked(event.point, [event.lngLat.lng, event.lngLat.lat]));
    for (const layer of [...CLICKABLE_LAYERS, ENTRY_LAYERS.hazardClusters]) {
      this.map.on("mouseenter", layer, () => (this.map.getCanvas().style.cursor = "pointer"));
      this.map.on("mouseleave", layer, () => (this.map.getCanvas().style.cursor = ""));
    }
  }

  get zoomStep(): number {
    return this.step;
  }

  showFeatures(sources: MapSources, details: Map<string, MapFeatureProperties>, fit: [number, number, number, number] | null): void {
    this.popup?.remove();
    this.details = details;
    const set = () => {
      // The view first, so the sources tile once, for the view they are drawn in.
      if (fit) this.map.fitBounds(fit, { padding: this.options.fitPadding(), maxZoom: 15, duration: 0 });
      (this.map.getSource(ENTRY_SOURCE) as GeoJSONSource).setData(sources.entries);
      (this.map.getSource(OPEN_HAZARD_SOURCE) as GeoJSONSource).setData(sources.openHazards);
      this.awaitingData = new Set([ENTRY_SOURCE, OPEN_HAZARD_SOURCE]);
      this.map.triggerRepaint();
    };
    if (this.map.isStyleLoaded()) set();
    else this.map.once("load", set);
  }

  remove(): void {
    this.counts.clear();
    this.map.remove();
  }

  private setBasemap(state: BasemapState): void {
    if (this.basemap === state) return;
    this.basemap = state;
    this.options.onBasemap(state);
  }

  private viewChanged(): void {
    const center = this.map.getCenter();
    const zoom = this.map.getZoom();
    this.options.onView({ lon: center.lng, lat: center.lat, zoom });
    const step = zoomStep(zoom);
    if (step === this.step) return;
    this.step = step;
    this.options.onZoomStep(step);
  }

  private clicked(point: { x: number; y: number }, at: [number, number]): void {
    const layers = [ENTRY_LAYERS.hazardClusters, ...CLICKABLE_LAYERS].filter((id) => this.map.getLayer(id));
    const box: [[number, number], [number, number]] = [[point.x - 4, point.y - 4], [point.x + 4, point.y + 4]];
    const top = this.map.queryRenderedFeatures(box, { layers })[0];
    if (!top) return;
    if (top.layer.id === ENTRY_LAYERS.hazardClusters) void this.expandCluster(top);
    else this.openPopup(top, at);
  }

  private async expandCluster(cluster: MapGeoJSONFeature): Promise<void> {
    const source = this.map.getSource(OPEN_HAZARD_SOURCE) as GeoJSONSource;
    const zoom = await source.getClusterExpansionZoom(Number(cluster.properties.cluster_id));
    if (cluster.geometry.type === "Point") this.map.easeTo({ center: cluster.geometry.coordinates as [number, number], zoom });
  }

  private openPopup(feature: MapGeoJSONFeature, at: [number, number]): void {
    const properties = this.details.get(String(feature.properties.id));
    if (!properties) return;
    const where = feature.geometry.type === "Point" ? (feature.geometry.coordinates as [number, number]) : at;
    this.popup?.remove();
    const maplibregl = setUpMaplibre();
    this.popup = new maplibregl.Popup({ maxWidth: "280px" })
      .setLngLat(where)
      .setDOMContent(entryPopup(properties, this.options.popupText, this.options.openEntry))
      .addTo(this.map);
  }
}
