import { describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import MonthScreen from "./MonthScreen.vue";
import { callsOf, mockCommands, mountAt } from "../test/tauri";
import { monthOf, shiftMonth } from "./monthView";

const march = {
  month: "2024-03",
  entries: 4,
  categories: [
    { kind: "patrol", category: "joint", category_label_zh: "联合巡逻", entries: 2, quantity: 12.5, unit: "km" },
    { kind: "repair", category: "water", category_label_zh: "水源", entries: 1, quantity: 1, unit: "count" },
    { kind: "hazard", category: "fence", category_label_zh: "铁网", entries: 1 },
  ],
  members: [
    { author: "李国华", entries: 3, by_kind: [{ kind: "patrol", entries: 2 }, { kind: "repair", entries: 1 }] },
    { author: "", entries: 1, by_kind: [{ kind: "hazard", entries: 1 }] },
  ],
  open_hazards: {
    within_week: 1,
    within_month: 0,
    older: 2,
    oldest: [{ id: "h-old", title: "铁网 · 高 · 松动", local_date: "2024-01-10", days_open: 75 }],
  },
};

describe("the month screen", () => {
  it("steps months back and forth, never past this one", () => {
    expect(shiftMonth("2024-01", -1)).toBe("2023-12");
    expect(shiftMonth("2024-12", 1)).toBe("2025-01");
    expect(monthOf(new Date(2024, 2, 31))).toBe("2024-03");
  });

  it("shows the month by category with quantities, by member, and the open hazards by age", async () => {
    mockCommands({ month_summary: march });
    const { wrapper, router } = await mountAt(MonthScreen, "/month");
    expect(callsOf("month_summary")[0]).toEqual({ month: monthOf() });
    const parts = (selector: string) =>
      wrapper
        .findAll(selector)
        .map((cell) => [".van-cell__title > span", ".van-cell__label", ".van-cell__value"].map((part) => (cell.find(part).exists() ? cell.find(part).text() : "")).filter(Boolean));
    expect(parts('[data-test="month-category"]')).toEqual([
      ["巡逻 · 联合巡逻", "2 条 · 12.5 公里"],
      ["修复 · 水源", "1 条"],
      ["隐患排查 · 铁网", "1 条"],
    ]);
    expect(wrapper.text()).toContain("按类别（共 4 条）");
    expect(parts('[data-test="month-member"]')).toEqual([
      ["李国华", "巡逻\u00a02 · 修复\u00a01", "3 条"],
      ["（未署名）", "隐患排查\u00a01", "1 条"],
    ]);
    expect(wrapper.find('[data-test="month-hazards-older"]').text()).toContain("2");
    expect(wrapper.find('[data-test="month-oldest-hazard"]').text()).toContain("2024-01-10 发现 · 已 75 天");
    expect(wrapper.find('[data-test="month-next"]').attributes("disabled")).toBeDefined();

    await wrapper.find('[data-test="month-previous"]').trigger("click");
    await flushPromises();
    expect(callsOf("month_summary")[1]).toEqual({ month: shiftMonth(monthOf(), -1) });
    expect(wrapper.find('[data-test="month-next"]').attributes("disabled")).toBeUndefined();

    await wrapper.find('[data-test="month-oldest-hazard"]').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/entry/h-old");
    wrapper.unmount();
  });

  it("says so when the month has nothing, and shows a failure to read", async () => {
    mockCommands({
      month_summary: { ...march, entries: 0, categories: [], members: [], open_hazards: { within_week: 0, within_month: 0, older: 0, oldest: [] } },
    });
    const empty = await mountAt(MonthScreen, "/month");
    expect(empty.wrapper.find('[data-test="month-nothing"]').text()).toBe("这个月还没有记录");
    empty.wrapper.unmount();
    mockCommands({ month_summary: () => Promise.reject({ kind: "database", message: "本机数据库出错" }) });
    const failed = await mountAt(MonthScreen, "/month");
    expect(failed.wrapper.find('[data-test="month-error"]').text()).toBe("本机数据库出错");
    failed.wrapper.unmount();
  });
});
