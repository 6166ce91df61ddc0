// An entry document (patrol-model's JSON) as rows of Chinese labels and values, per kind, for
// the entry page; and what changed between two versions, for its history.
import type { Entry } from "../api/types";
import { i18n } from "../i18n";
import { categoryLabel, kindLabel, partnerLabel, quantityText, severityLabel, statusLabel } from "../lib/labels";
import { formatEntryTime } from "../lib/time";

export interface FieldRow {
  key: string;
  label: string;
  value: string;
}

const BODY_FIELDS: Record<string, string[]> = {
  patrol: ["joint", "members", "partners", "markers", "distance_km", "findings", "track"],
  hazard: ["category", "severity", "description"],
  repair: ["category", "quantity", "closes_hazard", "description"],
  incident: ["crime_type", "persons", "handed_to", "description"],
  outreach: ["village", "topic", "audience", "description"],
  activity: ["activity_type", "attendees", "topic", "description"],
};

/** Envelope fields a version can change; the store's bookkeeping (revision, times) is left out. */
const ENVELOPE_FIELDS = ["occurred_at", "ended_at", "location", "author", "status", "photos", "deleted", "review", "post_id"] as const satisfies readonly (keyof Entry)[];

export function fieldLabel(key: string): string {
  const name = key.startsWith("body.") ? key.slice(5) : key;
  const labelKey = `dash.entry.field.${name === "post_id" ? "post" : name}`;
  return i18n.global.te(labelKey) ? i18n.global.t(labelKey) : name;
}

function yesNo(value: unknown): string {
  return i18n.global.t(value ? "dash.common.yes" : "dash.common.no");
}

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function personsText(value: unknown): string {
  return typeof value === "number" ? quantityText(value, "persons") : text(value);
}

function bodyValue(kind: string, key: string, body: Record<string, unknown>): string {
  const value = body[key];
  switch (key) {
    case "joint":
      return yesNo(value);
    case "members":
    case "markers":
      return Array.isArray(value) ? value.map(text).join(key === "members" ? "、" : ", ") : text(value);
    case "partners":
      return Array.isArray(value)
        ? value
            .map((partner) => {
              const { unit, count } = (partner ?? {}) as { unit?: string; count?: number };
              return `${partnerLabel(unit ?? "")} ${quantityText(count ?? 0, "persons")}`;
            })
            .join("、")
        : text(value);
    case "track":
      return value ? i18n.global.t("dash.entry.trackPresent") : "";
    case "category":
    case "crime_type":
    case "activity_type":
      return categoryLabel(kind, text(value));
    case "severity":
      return severityLabel(text(value));
    case "quantity":
      return typeof value === "number" ? quantityText(value, text(body.unit)) : text(value);
    case "persons":
    case "audience":
    case "attendees":
      return personsText(value);
    default:
      return text(value);
  }
}

/** An entry's body as fields by name: the pages show every field, those of newer app versions too. */
function bodyFields(document: Entry): Record<string, unknown> {
  return (document.body ?? {}) as unknown as Record<string, unknown>;
}

/** The body's fields in the kind's order, then any field this dashboard does not know yet. */
export function bodyFieldRows(document: Entry): FieldRow[] {
  const body = bodyFields(document);
  const known = BODY_FIELDS[document.kind] ?? [];
  const keys = [...known, ...Object.keys(body).filter((key) => !known.includes(key) && key !== "unit")];
  return keys
    .filter((key) => body[key] !== undefined && body[key] !== null && body[key] !== "")
    .map((key) => ({ key: `body.${key}`, label: fieldLabel(key), value: bodyValue(document.kind, key, body) }))
    .filter((row) => !(Array.isArray(body[row.key.slice(5)]) && row.value === ""));
}

export function locationText(location: Entry["location"]): string {
  if (!location) return "";
  const place = `${location.lat.toFixed(5)}, ${location.lon.toFixed(5)}`;
  if (location.accuracy_m === undefined || location.accuracy_m === null) return place;
  return `${place}（${i18n.global.t("dash.entry.accuracy", { m: Math.round(location.accuracy_m) })}）`;
}

/** The envelope: kind, post, device, times, author, place, status, version. */
export function envelopeFieldRows(document: Entry, postName: string | null, deviceLabel: string | null): FieldRow[] {
  const rows: FieldRow[] = [
    { key: "kind", label: fieldLabel("kind"), value: kindLabel(document.kind) },
    { key: "post", label: fieldLabel("post"), value: postName ?? "" },
    { key: "device", label: fieldLabel("device"), value: deviceLabel ?? "" },
    { key: "occurred_at", label: fieldLabel("occurred_at"), value: formatEntryTime(document.occurred_at) },
    { key: "ended_at", label: fieldLabel("ended_at"), value: formatEntryTime(document.ended_at) },
    { key: "author", label: fieldLabel("author"), value: document.author ?? "" },
    { key: "location", label: fieldLabel("location"), value: locationText(document.location) },
    { key: "status", label: fieldLabel("status"), value: statusLabel(document.status) },
    { key: "revision", label: fieldLabel("revision"), value: i18n.global.t("dash.entry.version", { n: document.revision }) },
  ];
  if (document.deleted) rows.push({ key: "deleted", label: fieldLabel("deleted"), value: yesNo(true) });
  return rows.filter((row) => row.value !== "");
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The fields that differ between two versions: envelope names and `body.<key>`. */
export function changedFields(before: Entry, after: Entry): string[] {
  const changed: string[] = ENVELOPE_FIELDS.filter((key) => !same(before[key], after[key]));
  const beforeBody = bodyFields(before);
  const afterBody = bodyFields(after);
  const bodyKeys = [...new Set([...Object.keys(beforeBody), ...Object.keys(afterBody)])];
  for (const key of bodyKeys) if (!same(beforeBody[key], afterBody[key])) changed.push(`body.${key}`);
  return changed;
}
