import { describe, expect, it } from "vitest";
import type { StatisticsRow } from "../api/types";
import { entriesByMonth, entriesByPost, totalsByCategory, yearMonths } from "./pivot";

function row(partial: Partial<StatisticsRow>): StatisticsRow {
  return {
    post_id: "p1",
    post_name: "田蓬联防所",
    month: "2024-03",
    kind: "patrol",
    category: "",
    category_label_zh: null,
    entries: 1,
    quantity: null,
    unit: null,
    fixed: 0,
    ...partial,
  };
}

const rows: StatisticsRow[] = [
  row({ month: "2024-03", kind: "patrol", entries: 4, quantity: 12.5, unit: "km" }),
  row({ month: "2024-04", kind: "patrol", entries: 2, quantity: 3.25, unit: "km" }),
  row({ post_id: "p2", post_name: "木央联防所", month: "2024-03", kind: "patrol", entries: 1, quantity: 2, unit: "km" }),
  row({ month: "2024-03", kind: "hazard", category: "fence", category_label_zh: "铁网/围栏", entries: 3, fixed: 2 }),
  row({ post_id: "p2", post_name: "木央联防所", month: "2024-12", kind: "repair", category: "fence", category_label_zh: "铁网", entries: 2, quantity: 200, unit: "m" }),
  row({ month: "2024-12", kind: "repair", category: "road", category_label_zh: "水毁道路", entries: 1, quantity: 0.7, unit: "km" }),
  row({ month: "2024-12", kind: "repair", category: "road", category_label_zh: "水毁道路", entries: 1, quantity: 6.5, unit: "km" }),
];

describe("statistics pivots", () => {
  it("lists the twelve months of the year", () => {
    expect(yearMonths(2024)).toHaveLength(12);
    expect(yearMonths(2024)[0]).toBe("2024-01");
    expect(yearMonths(2024)[11]).toBe("2024-12");
  });

  it("counts entries per month by kind, kinds in vocabulary order", () => {
    const series = entriesByMonth(rows, 2024);
    expect(series.map((s) => s.kind)).toEqual(["patrol", "hazard", "repair"]);
    expect(series[0]!.values[2]).toBe(5);
    expect(series[0]!.values[3]).toBe(2);
    expect(series[2]!.values[11]).toBe(4);
    expect(series[1]!.values.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it("ignores rows of another year in the monthly view", () => {
    const series = entriesByMonth([...rows, row({ month: "2023-12", entries: 9 })], 2024);
    expect(series[0]!.values.reduce((a, b) => a + b, 0)).toBe(7);
  });

  it("totals each post by kind", () => {
    const posts = entriesByPost(rows);
    expect(new Map(posts.map((p) => [p.postName, p.total]))).toEqual(
      new Map([
        ["田蓬联防所", 11],
        ["木央联防所", 3],
      ]),
    );
    const tianpeng = posts.find((p) => p.postId === "p1")!;
    expect(tianpeng.byKind).toEqual({ patrol: 6, hazard: 3, repair: 2 });
  });

  it("sums quantity and fixed hazards per kind and category, without float noise", () => {
    const categories = totalsByCategory(rows, 2024);
    const road = categories.find((c) => c.kind === "repair" && c.category === "road")!;
    expect(road).toMatchObject({ entries: 2, quantity: 7.2, unit: "km", labelZh: "水毁道路" });
    const hazard = categories.find((c) => c.kind === "hazard")!;
    expect(hazard).toMatchObject({ entries: 3, fixed: 2 });
    const patrol = categories.find((c) => c.kind === "patrol")!;
    expect(patrol.quantity).toBe(17.75);
    expect(patrol.monthly.slice(2, 4)).toEqual([5, 2]);
    expect(categories.map((c) => `${c.kind}/${c.category ?? ""}`)).toEqual([
      "patrol/",
      "hazard/fence",
      "repair/fence",
      "repair/road",
    ]);
  });
});
