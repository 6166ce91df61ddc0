// What the detail screen lists for an entry: label keys and values, per kind. Pure.
import type { Entry, PatrolBody } from "../tauri/types";
import { formatLocalTime } from "../log/entry";

export interface DetailLine {
  labelKey: string;
  value: string;
  test: string;
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

function orNone(text: string | undefined | null, t: Translate): string {
  return text && text.trim() !== "" ? text : t("common.none");
}

export function detailLines(entry: Entry, t: Translate): DetailLine[] {
  const lines: DetailLine[] = [
    { labelKey: "entry.occurredAt", value: formatLocalTime(entry.occurred_at), test: "occurred_at" },
  ];
  if (entry.ended_at) lines.push({ labelKey: "entry.endedAt", value: formatLocalTime(entry.ended_at), test: "ended_at" });
  if (entry.author) lines.push({ labelKey: "entry.author", value: entry.author, test: "author" });
  if (entry.location) {
    lines.push({
      labelKey: "entry.location",
      value: `${entry.location.lat.toFixed(5)}, ${entry.location.lon.toFixed(5)}`,
      test: "location",
    });
  }
  const body = entry.body as Record<string, unknown>;
  if (entry.kind === "hazard") {
    lines.push(
      { labelKey: "hazard.category", value: t(`vocab.hazardCategory.${String(body.category)}`), test: "category" },
      { labelKey: "hazard.severity", value: t(`vocab.severity.${String(body.severity)}`), test: "severity" },
      { labelKey: "hazard.description", value: orNone(body.description as string, t), test: "description" },
    );
  } else if (entry.kind === "repair") {
    lines.push(
      { labelKey: "repair.category", value: t(`vocab.repairCategory.${String(body.category)}`), test: "category" },
      {
        labelKey: "repair.quantity",
        value: `${String(body.quantity)} ${t(`vocab.unit.${String(body.unit)}`)}`,
        test: "quantity",
      },
      { labelKey: "repair.description", value: orNone(body.description as string, t), test: "description" },
    );
  } else if (entry.kind === "patrol") {
    const patrol = body as unknown as Partial<PatrolBody>;
    lines.push(
      { labelKey: "patrol.members", value: orNone((patrol.members ?? []).join("、"), t), test: "members" },
      {
        labelKey: "patrol.partners",
        value: orNone(
          (patrol.partners ?? []).map((p) => `${t(`vocab.partner.${p.unit}`)} ${p.count}`).join("、"),
          t,
        ),
        test: "partners",
      },
      { labelKey: "patrol.markers", value: orNone((patrol.markers ?? []).join("、"), t), test: "markers" },
      { labelKey: "patrol.findings", value: orNone(patrol.findings, t), test: "findings" },
    );
    if (typeof patrol.distance_km === "number") {
      lines.push({ labelKey: "patrol.distance", value: `${patrol.distance_km} km`, test: "distance" });
    }
  }
  return lines;
}

/** The i18n key of a history change. */
export function changeKey(change: string): string {
  return ["create", "edit", "delete", "status"].includes(change) ? `entry.change.${change}` : "entry.change.unknown";
}

/** How a hazard reads where another entry points at it: "铁网/围栏 · 铁网被冲毁". */
export function hazardSummary(hazard: Entry, t: Translate): string {
  const body = hazard.body as Record<string, unknown>;
  const description = typeof body.description === "string" ? body.description.trim() : "";
  const category = t(`vocab.hazardCategory.${String(body.category)}`);
  return description ? `${category} · ${description}` : category;
}
