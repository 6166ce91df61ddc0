import { describe, expect, it } from "vitest";
import {
  appendPage,
  ENTRY_KINDS,
  formatLocalTime,
  kindColour,
  kindIcon,
  kindLabelKey,
  parseLocalTime,
  statusLabelKey,
  toEntryRow,
  type EntrySummary,
} from "./entry";
import { enUS, zhCN } from "../i18n/messages";

const hazard: EntrySummary = {
  id: "0190f0b2-0000-7000-8000-000000000001",
  kind: "hazard",
  category: "fence",
  status: "open",
  occurred_at: "2024-03-02T09:00:00+08:00",
  author: "李国华",
  title: "铁网/围栏 · 高 · 铁网被洪水冲毁约30米",
  deleted: false,
  revision: 1,
  photo_count: 0,
  // No mark in the row: another phone's entry, as the store says.
  send_state: "received",
};

function lookup(messages: object, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], messages);
}

describe("kind and status labels", () => {
  it.each([
    ["patrol", "巡逻", "Patrol"],
    ["hazard", "隐患排查", "Hazard"],
    ["repair", "修复", "Repair"],
    ["incident", "案件", "Incident"],
    ["outreach", "普法宣传", "Outreach"],
    ["activity", "活动", "Activity"],
    ["smuggling-v2", "其他", "Other"],
  ])("kind %s reads %s / %s", (code, zh, en) => {
    const key = kindLabelKey(code);
    expect(lookup(zhCN, key)).toBe(zh);
    expect(lookup(enUS, key)).toBe(en);
  });

  it("has no status label for entries without a status, and a fallback for unknown codes", () => {
    expect(statusLabelKey(null)).toBeNull();
    expect(statusLabelKey("")).toBeNull();
    expect(lookup(zhCN, statusLabelKey("fixed") ?? "")).toBe("已整改");
    expect(lookup(zhCN, statusLabelKey("archived") ?? "")).toBe("未知");
  });

  it("has the same keys in Chinese and English", () => {
    const keys = (node: object, prefix = ""): string[] =>
      Object.entries(node).flatMap(([k, v]) =>
        typeof v === "object" && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(enUS).sort()).toEqual(keys(zhCN).sort());
  });
});

describe("local time of an entry", () => {
  it("shows the wall clock of the device's own offset, not the viewer's zone", () => {
    expect(parseLocalTime("2024-03-02T08:10:00+08:00")).toEqual({
      date: "2024-03-02",
      time: "08:10",
      offsetMinutes: 480,
    });
    // Same instant as 08:10 Beijing, recorded by a phone set to UTC.
    expect(parseLocalTime("2024-03-02T00:10:00Z")).toEqual({ date: "2024-03-02", time: "00:10", offsetMinutes: 0 });
    expect(parseLocalTime("2024-12-31T23:59:59.123-03:30")?.offsetMinutes).toBe(-210);
  });

  it("appends the offset only when it differs from the viewer's", () => {
    expect(formatLocalTime("2024-03-02T08:10:00+08:00", 480)).toBe("2024-03-02 08:10");
    expect(formatLocalTime("2024-03-02T08:10:00+08:00")).toBe("2024-03-02 08:10");
    expect(formatLocalTime("2024-03-02T08:10:00+07:00", 480)).toBe("2024-03-02 08:10 (UTC+07:00)");
    expect(formatLocalTime("2024-03-02T00:10:00Z", 480)).toBe("2024-03-02 00:10 (UTC+00:00)");
  });

  it("shows text that is not RFC 3339 as it is instead of a wrong time", () => {
    expect(formatLocalTime("yesterday", 480)).toBe("yesterday");
    expect(formatLocalTime("2024-13-02T08:10:00+08:00", 480)).toBe("2024-13-02T08:10:00+08:00");
    expect(parseLocalTime("2024-03-02")).toBeNull();
  });
});

describe("a row of the log", () => {
  it("maps an entry summary to labels, time and title", () => {
    expect(toEntryRow(hazard, 480)).toEqual({
      id: hazard.id,
      kindKey: "kind.hazard",
      statusKey: "status.open",
      statusType: "danger",
      title: "铁网/围栏 · 高 · 铁网被洪水冲毁约30米",
      time: "2024-03-02 09:00",
      author: "李国华",
      deleted: false,
      kindIcon: "warning-o",
      kindColour: "#b45309",
      reviewKey: null,
    });
  });

  it("flags an entry the county returned, and only that one", () => {
    const returned = toEntryRow({ ...hazard, review_decision: "returned" }, 480);
    expect(returned.reviewKey).toBe("review.returned");
    expect(lookup(zhCN, returned.reviewKey ?? "")).toBe("已退回");
    expect(lookup(enUS, returned.reviewKey ?? "")).toBe("Returned");
    expect(toEntryRow({ ...hazard, review_decision: "approved" }, 480).reviewKey).toBeNull();
    expect(toEntryRow({ ...hazard, review_decision: undefined }, 480).reviewKey).toBeNull();
    expect(toEntryRow(hazard, 480).reviewKey).toBeNull();
    // A deleted entry needs no fix.
    expect(toEntryRow({ ...hazard, review_decision: "returned", deleted: true }, 480).reviewKey).toBeNull();
  });

  it("gives each of the six kinds its own icon and colour, and unknown kinds a neutral one", () => {
    const icons = ENTRY_KINDS.map(kindIcon);
    const colours = ENTRY_KINDS.map(kindColour);
    expect(new Set(icons).size).toBe(6);
    expect(new Set(colours).size).toBe(6);
    expect(toEntryRow({ ...hazard, kind: "outreach", status: null, title: "普法宣传 · 田蓬村 · 禁毒 · 120 人" }, 480)).toMatchObject({
      kindKey: "kind.outreach",
      kindIcon: "bullhorn-o",
      statusKey: null,
      title: "普法宣传 · 田蓬村 · 禁毒 · 120 人",
    });
    expect(kindIcon("meeting-v2")).toBe("notes-o");
    expect(kindColour("meeting-v2")).toBe("#4b5563");
  });

  it("falls back to the category when the title is blank", () => {
    expect(toEntryRow({ ...hazard, title: "  " }, 480).title).toBe("fence");
  });

  it("appends a next page without repeating entries already shown", () => {
    const second = { ...hazard, id: "0190f0b2-0000-7000-8000-000000000002" };
    const merged = appendPage([hazard], { entries: [hazard, second], next_cursor: null });
    expect(merged.map((e) => e.id)).toEqual([hazard.id, second.id]);
  });
});
