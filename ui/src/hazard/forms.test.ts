import { describe, expect, it } from "vitest";
import { checkHazard, hazardDefaults, hazardDraft, hazardValuesOf } from "./hazardForm";
import { editedDraft } from "../forms/entryDraft";
import { checkRepair, repairDefaults, repairDraft, repairPhotos, repairValuesOf } from "../repair/repairForm";
import { checkPatrol, editedPatrolDraft, patrolBody, patrolDefaults, patrolValuesOf, splitMarkers, worthRecording, type PatrolValues } from "../patrol/patrolForm";
import { addToRoster, checkEnrolment, normalizeServerUrl, removeFromRoster } from "../settings/settingsForm";
import { categoryUnit, unitsFor } from "../app/vocab";
import type { Entry } from "../tauri/types";
import { translatorFor } from "../i18n";

/** The forms' checks as a member using the app in Chinese reads them. */
const zh = translatorFor("zh-CN");

const at = "2024-03-02T09:00:00+08:00";
const stored: Entry = {
  id: "h1",
  device_id: "d",
  kind: "hazard",
  occurred_at: at,
  author: "李国华",
  location: { lat: 23.6, lon: 105.6, accuracy_m: 8 },
  body: { category: "fence", severity: "high", description: "铁网被冲毁" },
  photos: [{ sha256: "a", role: "general" }],
  status: "open",
  revision: 1,
  created_at: at,
  updated_at: at,
  deleted: false,
};

describe("hazard form", () => {
  it("stops a text longer than the store takes (2000 characters) on its field", () => {
    const long = "铁".repeat(2001);
    const hazard = { ...hazardDefaults(), category: "fence", severity: "high", description: long };
    expect(checkHazard(hazard, zh).description).toBe("文字太长：2001 字，最多 2000 字");
    expect(checkHazard({ ...hazard, description: "铁".repeat(2000) }, zh)).toEqual({});
    expect(checkRepair({ ...repairDefaults(), description: long }, zh).description).toBe("文字太长：2001 字，最多 2000 字");
    expect(checkPatrol({ ...patrolDefaults(), findings: long }, zh).findings).toBe("文字太长：2001 字，最多 2000 字");
  });

  it("asks for category and severity before anything is sent", () => {
    expect(checkHazard(hazardDefaults(), zh)).toEqual({ category: "请选择隐患类别", severity: "请选择严重程度" });
  });

  it("makes the draft record_entry takes, with the location when typed", () => {
    const values = { ...hazardDefaults(), category: "fence", severity: "high", description: " 冲毁 ", lat: "23.6", lon: "105.6", accuracy: "8" };
    expect(checkHazard(values, zh)).toEqual({});
    expect(hazardDraft(values, "王明", at)).toEqual({
      kind: "hazard",
      occurred_at: at,
      location: { lat: 23.6, lon: 105.6, accuracy_m: 8 },
      author: "王明",
      body: { category: "fence", severity: "high", description: "冲毁" },
    });
    expect(hazardDraft({ ...values, lat: "", lon: "" }, null, at).location).toBeUndefined();
  });

  it("edits keep the stored time and author, unless the member changes the time", () => {
    const values = hazardValuesOf(stored);
    expect(values).toMatchObject({ category: "fence", severity: "high", lat: "23.6", photos: ["a"], when: "2024-03-02 09:00" });
    const draft = editedDraft(stored, hazardDraft({ ...values, description: "已查明" }, "别人"));
    expect(draft.occurred_at).toBe(at);
    expect(draft.author).toBe("李国华");
    expect(draft.body).toMatchObject({ description: "已查明" });
    const moved = editedDraft(stored, hazardDraft({ ...values, when: "2024-03-01 17:45" }, "别人"));
    expect(moved.occurred_at).toMatch(/^2024-03-01T17:45:00[+-]\d\d:\d\d$/);
  });
});

describe("repair form", () => {
  it("checks quantity and unit like the store", () => {
    expect(checkRepair({ ...repairDefaults(), category: "fence", quantity: "0", unit: "m" }, zh).quantity).toBe("数量必须大于 0");
    expect(checkRepair({ ...repairDefaults(), category: "water", quantity: "1.5", unit: "count" }, zh).quantity).toBe("按处计数的数量应为整数");
    expect(checkRepair({ ...repairDefaults(), category: "road", quantity: "2", unit: "count" }, zh).unit).toBe("请选择单位");
    expect(checkRepair({ ...repairDefaults(), quantity: "2" }, zh).category).toBe("请选择修复类别");
    expect(checkRepair({ ...repairDefaults(), category: "road", quantity: "7.2", unit: "km" }, zh)).toEqual({});
  });

  it("sends the hazard it closes and photos before and after", () => {
    const values = { ...repairDefaults(), category: "fence", quantity: "30", unit: "m", closesHazard: "h1", before: ["b"], after: ["c"] };
    expect(repairDraft(values, null, at)).toEqual({
      kind: "repair",
      occurred_at: at,
      body: { category: "fence", quantity: 30, unit: "m", closes_hazard: "h1", description: "" },
    });
    expect(repairPhotos(values)).toEqual([
      { sha256: "b", role: "before" },
      { sha256: "c", role: "after" },
    ]);
    const entry: Entry = { ...stored, kind: "repair", body: { category: "fence", quantity: 30, unit: "m", closes_hazard: "h1", description: "" }, photos: [{ sha256: "b", role: "before" as const }] };
    expect(repairValuesOf(entry)).toMatchObject({ quantity: "30", closesHazard: "h1", before: ["b"], after: [] });
  });

  it("knows each category's units", () => {
    expect(categoryUnit("road")).toBe("km");
    expect(unitsFor("fence")).toEqual(["km", "m"]);
    expect(unitsFor("landslide")).toEqual(["count"]);
  });
});

describe("patrol form", () => {
  it("is joint exactly when partner units came", () => {
    const values: PatrolValues = { ...patrolDefaults(), members: ["李国华"], partners: [{ unit: "army", count: "3" }], markers: "123，界碑124 125", findings: " 便道 " };
    expect(patrolBody(values)).toEqual({
      joint: true,
      members: ["李国华"],
      partners: [{ unit: "army", count: 3 }],
      markers: ["123", "124", "125"],
      findings: "便道",
    });
    expect(patrolBody(patrolDefaults()).joint).toBe(false);
    expect(splitMarkers(" , ")).toEqual([]);
  });

  it("checks head-counts", () => {
    expect(checkPatrol({ ...patrolDefaults(), partners: [{ unit: "army", count: "0" }] }, zh).partners).toBe("人数应为 1 到 10000 的整数");
    expect(checkPatrol({ ...patrolDefaults(), partners: [{ unit: "police", count: "2" }] }, zh)).toEqual({});
  });

  it("edits keep the track's distance and times", () => {
    const patrol: Entry = { ...stored, kind: "patrol", ended_at: "2024-03-02T11:00:00+08:00", body: { joint: false, members: [], partners: [], markers: [], findings: "", distance_km: 4.2, track: "AQIA" } };
    const values = patrolValuesOf(patrol);
    values.findings = "无异常";
    const draft = editedPatrolDraft(patrol, patrolBody(values));
    expect(draft.body).toMatchObject({ distance_km: 4.2, findings: "无异常" });
    expect(draft.body).not.toHaveProperty("track");
    expect(draft.ended_at).toBe("2024-03-02T11:00:00+08:00");
  });

  it("records a fix when it is the first, later or farther", () => {
    const last = { lat: 23.6, lon: 105.6, at: 0 };
    expect(worthRecording(null, last)).toBe(true);
    expect(worthRecording(last, { ...last, at: 1000 })).toBe(false);
    expect(worthRecording(last, { ...last, at: 6000 })).toBe(true);
    expect(worthRecording(last, { lat: 23.6001, lon: 105.6, at: 1000 })).toBe(true);
  });
});

describe("settings", () => {
  it("completes a typed server address", () => {
    expect(normalizeServerUrl(" 192.168.1.10:8443/ ")).toBe("https://192.168.1.10:8443");
    expect(normalizeServerUrl("127.0.0.1:8080")).toBe(["http", "127.0.0.1:8080"].join("://"));
    expect(normalizeServerUrl("localhost:8080/")).toBe(["http", "localhost:8080"].join("://"));
    expect(normalizeServerUrl("https://county.example")).toBe("https://county.example");
    expect(checkEnrolment("", " ", zh)).toEqual({ serverUrl: "请填写服务器地址", code: "请填写登记码" });
    expect(checkEnrolment("127.0.0.1:9", "ABC", zh)).toEqual({});
  });

  it("edits the roster", () => {
    expect(addToRoster(["李国华"], " 王  明 ")).toEqual(["李国华", "王 明"]);
    const roster = ["李国华"];
    expect(addToRoster(roster, "李国华")).toBe(roster);
    expect(removeFromRoster(["a", "b"], "a")).toEqual(["b"]);
  });
});
