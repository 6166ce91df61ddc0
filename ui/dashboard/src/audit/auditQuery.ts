// The audit page's filters (操作记录: action and days) as the query of
// GET /api/v1/admin/audit (docs/county-api.md), and how a row's details read.
import type { QueryValue } from "../api/client";
import { AUDIT_ACTIONS, type AuditRecord } from "../api/types";

export interface AuditFilters {
  action: string;
  from: string;
  to: string;
}

export const AUDIT_PAGE_SIZE = 50;

export function emptyAuditFilters(): AuditFilters {
  return { action: "", from: "", to: "" };
}

const LOCAL_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The request's query: only the filters set (an unknown action or a malformed day dropped). */
export function auditRequestQuery(filters: AuditFilters, cursor: string | null): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = { limit: AUDIT_PAGE_SIZE };
  if ((AUDIT_ACTIONS as readonly string[]).includes(filters.action)) query.action = filters.action;
  if (LOCAL_DAY.test(filters.from)) query.from = filters.from;
  if (LOCAL_DAY.test(filters.to)) query.to = filters.to;
  if (cursor) query.cursor = cursor;
  return query;
}

type Translate = (key: string) => string;

/** A row's details in a few words: "退回", "csv · 12 行", "2024 · xlsx", "admin". */
export function auditDetailText(row: AuditRecord, t: Translate): string {
  const detail = row.detail ?? {};
  const text = (key: string): string => (typeof detail[key] === "string" || typeof detail[key] === "number" ? String(detail[key]) : "");
  switch (row.action) {
    case "review":
      return ["approved", "returned"].includes(text("decision")) ? t(`dash.review.${text("decision")}`) : "";
    case "export":
      return [text("subject"), text("format"), text("rows")].filter(Boolean).join(" · ");
    case "report":
      return [text("year"), text("format")].filter(Boolean).join(" · ");
    case "admin_save":
      return text("role") ? t(`dash.role.${text("role")}`) : "";
    case "post_add":
      return text("name");
    case "pin_reset":
      return text("member");
    case "revoke":
      return detail.wipe === true ? t("dash.audit.wiped") : "";
    case "login_failed":
      return ["wrong_credentials", "rate_limited"].includes(text("reason")) ? t(`dash.audit.reasons.${text("reason")}`) : "";
    default:
      return "";
  }
}
