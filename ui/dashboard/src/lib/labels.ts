// Labels of the domain's codes in the chosen language: kinds, statuses and categories from the
// field app's shared messages, the rest from the dashboard's; the server's Chinese label when
// a code is one the UI does not know yet (a newer server).
import { i18n } from "../i18n";

function translated(key: string, fallback: string): string {
  const { t, te } = i18n.global;
  return te(key) ? t(key) : fallback;
}

export function kindLabel(kind: string): string {
  return translated(`kind.${kind}`, kind);
}

export function statusLabel(status: string | null | undefined): string {
  if (!status) return "";
  return translated(`status.${status}`, status);
}

export function reviewLabel(decision: string | null | undefined): string {
  return translated(`dash.review.${decision ?? "pending"}`, decision ?? "");
}

/** Element Plus's tag type for a review decision: approved green, returned red, pending grey. */
export function reviewTagType(decision: string | null | undefined): "success" | "danger" | "info" {
  return decision === "approved" ? "success" : decision === "returned" ? "danger" : "info";
}

const CATEGORY_VOCABULARY: Record<string, string> = {
  patrol: "dash.vocab.patrolCategory",
  outreach: "dash.vocab.outreachCategory",
  hazard: "vocab.hazardCategory",
  repair: "vocab.repairCategory",
  incident: "vocab.crimeType",
  activity: "vocab.activityType",
};

/** A category code of an entry kind; `labelZh` (the server's) when the code is unknown here. */
export function categoryLabel(kind: string, code: string | null | undefined, labelZh?: string | null): string {
  if (!code) return labelZh ?? "";
  const vocabulary = CATEGORY_VOCABULARY[kind];
  return vocabulary ? translated(`${vocabulary}.${code}`, labelZh ?? code) : (labelZh ?? code);
}

export function unitLabel(unit: string | null | undefined): string {
  if (!unit) return "";
  return translated(`vocab.unit.${unit}`, unit);
}

export function severityLabel(code: string): string {
  return translated(`vocab.severity.${code}`, code);
}

export function partnerLabel(code: string): string {
  return translated(`vocab.partner.${code}`, code);
}

export function photoRoleLabel(code: string): string {
  return translated(`vocab.photoRole.${code}`, code);
}

/** "7.2 公里", "200 米", "45 处", "12 人"; empty when there is no quantity. */
export function quantityText(quantity: number | null | undefined, unit: string | null | undefined): string {
  if (quantity === null || quantity === undefined || !Number.isFinite(quantity)) return "";
  const rounded = Math.round(quantity * 1000) / 1000;
  const unitText = unitLabel(unit);
  return unitText ? `${rounded} ${unitText}` : String(rounded);
}
