import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../api/types";
import { auditDetailText, auditRequestQuery, emptyAuditFilters } from "./auditQuery";

function row(action: AuditRecord["action"], detail: Record<string, unknown>): AuditRecord {
  return { id: 1, at: "2026-12-02T04:00:00Z", action, outcome: "ok", actor: "县边防办", address: null, target: null, detail };
}

describe("the audit page's query", () => {
  it("sends only the filters set, and the cursor", () => {
    expect(auditRequestQuery(emptyAuditFilters(), null)).toEqual({ limit: 50 });
    expect(auditRequestQuery({ action: "review", from: "2026-12-01", to: "2026-12-02" }, "17")).toEqual({
      limit: 50,
      action: "review",
      from: "2026-12-01",
      to: "2026-12-02",
      cursor: "17",
    });
  });

  it("drops an unknown action and a malformed day", () => {
    expect(auditRequestQuery({ action: "drop_table", from: "yesterday", to: "" }, null)).toEqual({ limit: 50 });
  });
});

describe("a row's details", () => {
  const t = (key: string) => ({ "dash.review.returned": "已退回", "dash.role.viewer": "只读" })[key] ?? key;
  it("says the decision, the export, the role", () => {
    expect(auditDetailText(row("review", { decision: "returned" }), t)).toBe("已退回");
    expect(auditDetailText(row("export", { subject: "entries", format: "csv", rows: 12 }), t)).toBe("entries · csv · 12");
    expect(auditDetailText(row("admin_save", { role: "viewer" }), t)).toBe("只读");
    expect(auditDetailText(row("login", {}), t)).toBe("");
    expect(auditDetailText(row("login_failed", { reason: "wrong_credentials" }), t)).toBe("dash.audit.reasons.wrong_credentials");
  });
});
