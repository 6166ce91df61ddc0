import { describe, expect, it } from "vitest";
import type { AnnualReport } from "../api/types";
import { annualReportLines, figure } from "./reportLines";

// The county's 2024 figures (seed-funing-2024.txt), in the API's shape.
const seed2024: AnnualReport = {
  year: 2024,
  posts: 12,
  patrols: { total: 1460, joint: 330, distance_km: 10422.5 },
  incidents: {
    cases: 3,
    persons: 5,
    by_type: [
      { code: "smuggling", label_zh: "走私", cases: 0, persons: 0 },
      { code: "illegal_crossing", label_zh: "非法越境", cases: 3, persons: 5 },
    ],
  },
  outreach: { sessions: 680, audience: 40000 },
  repairs: [
    { code: "road", label_zh: "水毁道路", entries: 31, quantity: 7.2, unit: "km" },
    { code: "landslide", label_zh: "塌方清理", entries: 45, quantity: 45, unit: "count" },
    { code: "water", label_zh: "水源", entries: 14, quantity: 14, unit: "count" },
    { code: "power", label_zh: "电路", entries: 16, quantity: 16, unit: "count" },
    { code: "fence", label_zh: "铁网", entries: 6, quantity: 200, unit: "m" },
  ],
  activities: [
    { code: "training", label_zh: "技能培训", sessions: 1, attendees: 96 },
    { code: "drill", label_zh: "战术演练", sessions: 3, attendees: 120 },
    { code: "joint_meeting", label_zh: "军地联席会议", sessions: 4, attendees: 60 },
    { code: "quarterly_meeting", label_zh: "季度边境管控推进会", sessions: 4, attendees: 400 },
    { code: "clean_up", label_zh: "环境卫生整治", sessions: 20, attendees: 300 },
  ],
  hazards: { found: 120, fixed: 101, open: 19, by_category: [] },
};

describe("annualReportLines", () => {
  it("reads like the county's own report", () => {
    const texts = annualReportLines(seed2024).map((line) => line.text);
    expect(texts).toEqual([
      "联合巡逻 330 次",
      "巡逻共 1460 次，里程 10422.5 公里",
      "协助查处跨境违法犯罪案件 3 起 5 人",
      "普法宣传 680 次、受教育群众 40000 人",
      "修复水毁道路 7.2 公里",
      "清理塌方 45 处",
      "修复水源 14 处",
      "修复电路 16 处",
      "修复铁网 200 米",
      "技能培训 1 次",
      "军地联席会议 4 次",
      "季度边境管控推进会 4 次",
      "战术演练 3 次",
      "环境卫生整治 20 次",
      "排查发现隐患 120 处，已整改 101 处，待整改 19 处",
    ]);
  });

  it("keeps each sentence's numbers beside it, keyed by figure", () => {
    const lines = new Map(annualReportLines(seed2024).map((line) => [line.key, line.values]));
    expect(lines.get("incidents")).toEqual([3, 5]);
    expect(lines.get("repairs.fence")).toEqual([200]);
    expect(lines.get("activities.drill")).toEqual([3]);
    expect(lines.get("hazards")).toEqual([120, 101, 19]);
  });

  it("prints quantities without floating-point noise, and zeros as zeros", () => {
    expect(figure(0.1 + 0.2)).toBe("0.3");
    expect(figure(7.2)).toBe("7.2");
    expect(figure(0)).toBe("0");
    const empty = annualReportLines({ ...seed2024, repairs: [{ code: "road", label_zh: "水毁道路", entries: 0, quantity: 0, unit: "km" }] });
    expect(empty.find((line) => line.key === "repairs.road")?.text).toBe("修复水毁道路 0 公里");
  });

  it("has an English reading", () => {
    const texts = annualReportLines(seed2024, "en-US").map((line) => line.text);
    expect(texts).toContain("Joint patrols: 330");
    expect(texts).toContain("Iron fence repaired: 200 m");
    expect(texts).toContain("Landslides cleared: 45");
  });
});
