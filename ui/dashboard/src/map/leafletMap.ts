// The Leaflet side of the map page: a map with no tile layer by default (a plain background,
// the lat/lon grid and a metric scale bar), an optional tile layer when the server names one,
// and the entries' GeoJSON drawn per featureStyle.ts with a popup linking to each entry.
// Nothing here loads an image: points are vector circles and squares are plain div icons.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import type { MapFeature, MapFeatureCollection } from "../api/types";
import { featureDrawing } from "./featureStyle";
import { graticuleLines, latitudeLabel, longitudeLabel } from "./graticule";

/** Funing county, where the map opens when there is nothing to show yet. */
const HOME: L.LatLngExpression = [23.62, 105.63];
const HOME_ZOOM = 9;

export interface PopupText {
  kind: (feature: MapFeature) => string;
  when: (feature: MapFeature) => string;
  open: string;
}

export class EntryMap {
  private readonly map: L.Map;
  private readonly grid = L.layerGroup();
  private features: L.GeoJSON | null = null;

  constructor(
    container: HTMLElement,
    private readonly popupText: PopupText,
    private readonly openEntry: (id: string) => void,
  ) {
    this.map = L.map(container, {
      center: HOME,
      zoom: HOME_ZOOM,
      minZoom: 3,
      maxZoom: 18,
      attributionControl: false,
      zoomControl: false,
      preferCanvas: true,
    });
    // Bottom right: the grid's labels run along the top and left edges, the legend is top right.
    L.control.zoom({ position: "bottomright" }).addTo(this.map);
    L.control.scale({ imperial: false, metric: true, position: "bottomleft" }).addTo(this.map);
    this.grid.addTo(this.map);
    this.map.on("moveend zoomend resize", () => this.drawGrid());
    this.drawGrid();
  }

  /** A tile layer from the server's configuration (`serve --map-tile-url`). */
  addTileLayer(urlTemplate: string): void {
    L.tileLayer(urlTemplate, { maxZoom: 18 }).addTo(this.map);
  }

  showFeatures(collection: MapFeatureCollection, fit: boolean): void {
    this.features?.remove();
    this.features = L.geoJSON(collection as GeoJSON.FeatureCollection, {
      style: (feature) => {
        const drawing = featureDrawing(feature as unknown as MapFeature);
        return drawing.shape === "line"
          ? { color: drawing.color, weight: drawing.weight, opacity: drawing.opacity, dashArray: drawing.dashArray }
          : {};
      },
      pointToLayer: (feature, latlng) => {
        const drawing = featureDrawing(feature as unknown as MapFeature);
        if (drawing.shape === "square") {
          return L.marker(latlng, {
            icon: L.divIcon({
              className: "map-square",
              html: `<span style="background:${drawing.color}"></span>`,
              iconSize: [drawing.size, drawing.size],
            }),
            keyboard: false,
          });
        }
        const circle = drawing.shape === "circle" ? drawing : { color: "#555", fillColor: "#555", radius: 5 };
        return L.circleMarker(latlng, {
          radius: circle.radius,
          color: "#ffffff",
          weight: 1.5,
          fillColor: circle.fillColor,
          fillOpacity: 0.9,
        });
      },
      onEachFeature: (feature, layer) => layer.bindPopup(() => this.popupFor(feature as unknown as MapFeature)),
    }).addTo(this.map);
    if (fit) {
      const bounds = this.features.getBounds();
      if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    }
  }

  remove(): void {
    this.map.remove();
  }

  private popupFor(feature: MapFeature): HTMLElement {
    const box = document.createElement("div");
    box.className = "map-popup";
    const title = document.createElement("strong");
    title.textContent = feature.properties.title_zh || this.popupText.kind(feature);
    const facts = document.createElement("div");
    facts.textContent = [this.popupText.kind(feature), feature.properties.post_name, this.popupText.when(feature)]
      .filter(Boolean)
      .join(" · ");
    const link = document.createElement("a");
    link.href = `/entries/${encodeURIComponent(feature.properties.id)}`;
    link.textContent = this.popupText.open;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      this.openEntry(feature.properties.id);
    });
    box.append(title, facts, link);
    return box;
  }

  private drawGrid(): void {
    this.grid.clearLayers();
    const bounds = this.map.getBounds();
    const view = { south: bounds.getSouth(), west: bounds.getWest(), north: bounds.getNorth(), east: bounds.getEast() };
    const { step, latitudes, longitudes } = graticuleLines(view);
    const line = { color: "#9aa7b4", weight: 1, opacity: 0.6, interactive: false };
    for (const lat of latitudes) {
      L.polyline([[lat, view.west], [lat, view.east]], line).addTo(this.grid);
      L.marker([lat, view.west], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "map-grid-label map-grid-label-lat", html: latitudeLabel(lat, step), iconSize: [64, 14], iconAnchor: [-2, 14] }),
      }).addTo(this.grid);
    }
    for (const lon of longitudes) {
      L.polyline([[view.south, lon], [view.north, lon]], line).addTo(this.grid);
      L.marker([view.north, lon], {
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: "map-grid-label map-grid-label-lon", html: longitudeLabel(lon, step), iconSize: [72, 14], iconAnchor: [-2, -2] }),
      }).addTo(this.grid);
    }
  }
}
