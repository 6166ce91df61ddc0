// What the detail screen lists for an entry: label keys and values, per kind. Pure.
import type { ActivityBody, Entry, IncidentBody, OutreachBody, PatrolBody } from "../tauri/types";
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
    // body.track (the packed GPS track) is never shown as text.
  } else {
    lines.push(...otherKindLines(entry, t));
  }
  return lines;
}

/** "12 人" / "12 people". */
function headCount(count: unknown, t: Translate): string {
  return typeof count === "number" ? `${count} ${t("vocab.unit.persons")}` : t("common.none");
}

/** The lines of an incident, outreach session or activity. */
function otherKindLines(entry: Entry, t: Translate): DetailLine[] {
  if (entry.kind === "incident") {
    const body = entry.body as Partial<IncidentBody>;
    return [
      { labelKey: "incident.crimeType", value: t(`vocab.crimeType.${String(body.crime_type)}`), test: "crime_type" },
      { labelKey: "incident.persons", value: headCount(body.persons, t), test: "persons" },
      { labelKey: "incident.handedTo", value: orNone(body.handed_to, t), test: "handed_to" },
      { labelKey: "incident.description", value: orNone(body.description, t), test: "description" },
    ];
  }
  if (entry.kind === "outreach") {
    const body = entry.body as Partial<OutreachBody>;
    return [
      { labelKey: "outreach.village", value: orNone(body.village, t), test: "village" },
      { labelKey: "outreach.topic", value: orNone(body.topic, t), test: "topic" },
      { labelKey: "outreach.audience", value: headCount(body.audience, t), test: "audience" },
      { labelKey: "outreach.description", value: orNone(body.description, t), test: "description" },
    ];
  }
  if (entry.kind === "activity") {
    const body = entry.body as Partial<ActivityBody>;
    return [
      { labelKey: "activity.activityType", value: t(`vocab.activityType.${String(body.activity_type)}`), test: "activity_type" },
      { labelKey: "activity.attendees", value: headCount(body.attendees, t), test: "attendees" },
      { labelKey: "activity.topic", value: orNone(body.topic, t), test: "topic" },
      { labelKey: "activity.description", value: orNone(body.description, t), test: "description" },
    ];
  }
  return [];
}

/** What the detail says of the county's review. */
export interface ReviewView {
  decision: "approved" | "returned";
  /** "已通过" or "已退回：请写明移交时间". */
  text: string;
  /** "张科长 · 2024-03-07 10:00" (the viewer's local time). */
  by: string;
}

/** The county's review of an entry as the detail shows it; null while there is none. */
export function reviewView(entry: Entry, t: Translate, formatTime: (iso: string) => string): ReviewView | null {
  const review = entry.review;
  if (!review || (review.decision !== "approved" && review.decision !== "returned")) return null;
  const comment = (review.comment ?? "").trim();
  const text =
    review.decision === "returned" && comment !== ""
      ? t("review.returnedWith", { comment })
      : t(`review.${review.decision}`);
  return { decision: review.decision, text, by: t("review.by", { reviewer: review.reviewer, time: formatTime(review.decided_at) }) };
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

/** "2024-03-07 10:00" in the viewer's zone, for an instant the county wrote (UTC). */
export function localDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
