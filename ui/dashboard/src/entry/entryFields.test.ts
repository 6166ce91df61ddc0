import { describe, expect, it } from "vitest";
import type { Entry } from "../api/types";
import { bodyFieldRows, changedFields, envelopeFieldRows, fieldLabel } from "./entryFields";

/** A stored document for a test: what the test names (a body may be partial), the rest fixed. */
function document(partial: Omit<Partial<Entry>, "body"> & { body?: object }): Entry {
  return {
    id: "0190aaaa-0000-7000-8000-000000000001",
    kind: "patrol",
    occurred_at: "2024-03-02T08:10:00+08:00",
    revision: 1,
    ...partial,
    body: partial.body ?? {},
  } as Entry;
}

function rowsOf(doc: Entry): Record<string, string> {
  return Object.fromEntries(bodyFieldRows(doc).map((row) => [row.label, row.value]));
}

describe("entry fields in Chinese, per kind", () => {
  it("reads a joint patrol", () => {
    const rows = rowsOf(
      document({
        kind: "patrol",
        body: {
          joint: true,
          members: ["李国华", "王强"],
          partners: [
            { unit: "army", count: 4 },
            { unit: "village_committee", count: 2 },
          ],
          markers: ["123", "124"],
          findings: "",
          distance_km: 8.4,
          track: "AQID",
        },
      }),
    );
    expect(rows).toEqual({
      联合巡逻: "是",
      巡逻人员: "李国华、王强",
      协同单位及人数: "部队 4 人、村委会 2 人",
      经过界碑: "123, 124",
      "里程（公里）": "8.4",
      轨迹: "已记录",
    });
  });

  it("reads a repair with its quantity in its unit, and a hazard's category and severity", () => {
    expect(rowsOf(document({ kind: "repair", body: { category: "fence", quantity: 200, unit: "m", description: "重新架设铁网" } }))).toEqual({
      类别: "铁网",
      数量: "200 米",
      情况说明: "重新架设铁网",
    });
    expect(rowsOf(document({ kind: "hazard", body: { category: "landslide", severity: "high", description: "" } }))).toEqual({
      类别: "塌方",
      严重程度: "高",
    });
  });

  it("reads incidents, outreach and activities", () => {
    expect(rowsOf(document({ kind: "incident", body: { crime_type: "illegal_crossing", persons: 2, handed_to: "田蓬边境派出所" } }))).toEqual({
      案件类型: "非法越境",
      涉案人数: "2 人",
      移交单位: "田蓬边境派出所",
    });
    expect(rowsOf(document({ kind: "outreach", body: { village: "田蓬村", topic: "禁毒", audience: 60 } }))).toEqual({
      挂联村: "田蓬村",
      主题: "禁毒",
      "受教育群众（人）": "60 人",
    });
    expect(rowsOf(document({ kind: "activity", body: { activity_type: "quarterly_meeting", attendees: 37 } }))).toEqual({
      活动类型: "季度边境管控推进会",
      参加人数: "37 人",
    });
  });

  it("still shows a body field it does not know, under its own name", () => {
    expect(rowsOf(document({ kind: "hazard", body: { category: "road", severity: "low", weather: "雨" } }))).toMatchObject({ weather: "雨" });
  });

  it("reads the envelope with the member's wall clock and the place", () => {
    const rows = envelopeFieldRows(
      document({ kind: "hazard", status: "open", author: "李国华", location: { lat: 23.62512, lon: 105.63121, accuracy_m: 4.6 }, revision: 2 }),
      "田蓬联防所",
      "李国华的手机",
    );
    expect(Object.fromEntries(rows.map((row) => [row.label, row.value]))).toEqual({
      类型: "隐患排查",
      联防所: "田蓬联防所",
      设备: "李国华的手机",
      时间: "2024-03-02 08:10",
      填写人: "李国华",
      位置: "23.62512, 105.63121（精度约 5 米）",
      状态: "待整改",
      版本: "第 2 版",
    });
  });
});

describe("changedFields", () => {
  it("names what an edit changed, in the envelope and the body, ignoring bookkeeping", () => {
    const before = document({ kind: "hazard", body: { category: "road", severity: "low", description: "a" }, revision: 1, updated_at: "x" });
    const after = document({ kind: "hazard", author: "王强", body: { category: "road", severity: "high", description: "a" }, revision: 2, updated_at: "y" });
    expect(changedFields(before, after)).toEqual(["author", "body.severity"]);
    expect(changedFields(before, after).map(fieldLabel)).toEqual(["填写人", "严重程度"]);
  });

  it("sees the county's review as a change of its own", () => {
    const before = document({});
    const after = document({ review: { decision: "returned", comment: "补拍照片", reviewer: "county", decided_at: "2024-03-03T01:00:00Z" } });
    expect(changedFields(before, after)).toEqual(["review"]);
  });
});
