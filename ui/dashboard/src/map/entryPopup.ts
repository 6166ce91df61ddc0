// The popup of a clicked entry: its title, kind, post and time, and a link to its page
// (/entries/<id>) that the router follows without reloading.
import type { MapFeatureProperties } from "../api/types";

export interface PopupText {
  kind: (properties: MapFeatureProperties) => string;
  when: (properties: MapFeatureProperties) => string;
  severity: (properties: MapFeatureProperties) => string;
  open: string;
}

export function entryPopup(properties: MapFeatureProperties, text: PopupText, openEntry: (id: string) => void): HTMLElement {
  const box = document.createElement("div");
  box.className = "map-popup";
  box.dataset.entryId = properties.id;
  const title = document.createElement("strong");
  title.textContent = properties.title_zh || text.kind(properties);
  const facts = document.createElement("div");
  facts.textContent = [text.kind(properties), text.severity(properties), properties.post_name, text.when(properties)].filter(Boolean).join(" · ");
  const link = document.createElement("a");
  link.href = `/entries/${encodeURIComponent(properties.id)}`;
  link.textContent = text.open;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    openEntry(properties.id);
  });
  box.append(title, facts, link);
  return box;
}
