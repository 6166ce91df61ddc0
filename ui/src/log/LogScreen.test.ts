import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { DropdownItem, List } from "vant";
import { lockState } from "../lock/lockState";
import LogScreen from "./LogScreen.vue";
import type { EntryListQuery, EntryPage, EntrySummary } from "./entry";
import { mountAt, mockCommands } from "../test/tauri";
import { setLocale } from "../i18n";

const patrol: EntrySummary = {
  id: "p1",
  kind: "patrol",
  category: "joint",
  status: "ended",
  occurred_at: "2024-03-02T08:10:00+08:00",
  author: null,
  title: "联合巡逻 · 界碑123附近发现新踩踏便道",
  deleted: false,
  revision: 1,
  photo_count: 0,
  // No mark in the row: another phone's entry, as the store says.
  send_state: "received",
};
const hazard: EntrySummary = {
  ...patrol,
  id: "h1",
  kind: "hazard",
  category: "fence",
  status: "open",
  occurred_at: "2024-03-02T09:00:00+08:00",
  title: "铁网/围栏 · 高 · 铁网被洪水冲毁约30米",
};

// Vant measures itself again on timers after mounting; let them run while the DOM exists.
afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));
beforeEach(() => mockCommands({}));

function mountWith(fetchPage: (q: EntryListQuery) => Promise<EntryPage>) {
  return mountAt(LogScreen, "/log", { fetchPage });
}

type LogWrapper = Awaited<ReturnType<typeof mountWith>>["wrapper"];

/** Opens the filter bar's dates (its third title). */
async function openDates(wrapper: LogWrapper): Promise<void> {
  await wrapper.findAll(".van-dropdown-menu__item")[2]!.trigger("click");
  await flushPromises();
}

/** The day a date filter shows. */
function dayShown(wrapper: LogWrapper, testId: string): string {
  return (wrapper.find(`[data-test="${testId}-field"] input`).element as HTMLInputElement).value;
}

/** What each wheel of a date filter's picker stands at: [year, month, day]. */
function wheelsAt(wrapper: LogWrapper, testId: string): string[] {
  return wrapper.find(`[data-test="${testId}-picker"]`).findAll(".van-picker-column__item--selected").map((item) => item.text());
}

/** Taps a date filter, turns its wheels to `day` ([year, month, day]) by tapping each, and confirms. */
async function pickDay(wrapper: LogWrapper, testId: string, day: string[]): Promise<void> {
  await wrapper.find(`[data-test="${testId}-field"]`).trigger("click");
  await flushPromises();
  const picker = () => wrapper.find(`[data-test="${testId}-picker"]`);
  for (const [column, wanted] of day.entries()) {
    // Found again for each wheel: the months and days follow the year chosen.
    const options = picker().findAll(".van-picker-column")[column]!.findAll(".van-picker-column__item");
    await options.find((option) => option.text() === wanted)!.trigger("click");
  }
  await picker().find(".van-picker__confirm").trigger("click");
  await flushPromises();
}

/** Last year: always on the wheels, whatever today is. */
const lastYear = String(new Date().getFullYear() - 1);

describe("LogScreen", () => {
  it("lists the entries in the order the store gives them, with Chinese labels", async () => {
    const fetchPage = vi.fn(async () => ({ entries: [hazard, patrol], next_cursor: null }));
    const { wrapper } = await mountWith(fetchPage);

    expect(fetchPage).toHaveBeenCalledWith({ limit: 30 });
    const rows = wrapper.findAll('[data-test="entry-row"]');
    expect(rows.map((r) => r.attributes("data-entry-id"))).toEqual(["h1", "p1"]);
    expect(rows[0]!.text()).toContain("隐患排查");
    expect(rows[0]!.text()).toContain("铁网被洪水冲毁约30米");
    expect(rows[0]!.text()).toContain("待整改");
    expect(rows[1]!.text()).toContain("巡逻");
    expect(rows[1]!.text()).toContain("已结束");
    expect(wrapper.find('[data-test="log-empty"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("marks each row to send, sent or refused; an entry another phone sent carries no mark", async () => {
    const entries: EntrySummary[] = [
      { ...hazard, id: "a", send_state: "pending" },
      { ...hazard, id: "b", send_state: "sent" },
      { ...hazard, id: "c", send_state: "rejected" },
      { ...hazard, id: "d", send_state: "received" },
    ];
    const { wrapper } = await mountWith(vi.fn(async () => ({ entries, next_cursor: null })));
    const marks = wrapper.findAll('[data-test="entry-row"]').map((row) => row.find('[data-test="entry-row-send"]'));
    expect(marks.map((mark) => (mark.exists() ? mark.text() : null))).toEqual(["待发送", "已发送", "被拒", null]);
    wrapper.unmount();
  });

  it("opened from Home's returned notice, lists only what the county returned, the filter shown", async () => {
    const returned = { ...hazard, review_decision: "returned" };
    const fetchPage = vi.fn(async () => ({ entries: [returned], next_cursor: null }));
    const { wrapper } = await mountAt(LogScreen, "/log?review=returned", { fetchPage });

    expect(fetchPage).toHaveBeenCalledWith({ review: "returned", limit: 30 });
    expect(fetchPage).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-test="log-active-filters"]').text()).toContain("1");
    expect(wrapper.findAll('[data-test="entry-row"]').map((r) => r.attributes("data-review"))).toEqual(["returned"]);
    wrapper.unmount();
  });

  it("shows 暂无记录 when the store is empty", async () => {
    const { wrapper } = await mountWith(async () => ({ entries: [], next_cursor: null }));
    expect(wrapper.find('[data-test="log-empty"]').text()).toContain("暂无记录");
    wrapper.unmount();
  });

  it("shows the shell's error message and loads again on retry", async () => {
    const fetchPage = vi
      .fn<(q: EntryListQuery) => Promise<EntryPage>>()
      .mockRejectedValueOnce({ kind: "storage", message: "本机数据库无法打开" })
      .mockResolvedValueOnce({ entries: [patrol], next_cursor: null });
    const { wrapper } = await mountWith(fetchPage);
    expect(wrapper.find('[data-test="log-error"]').text()).toContain("本机数据库无法打开");

    await wrapper.find('[data-test="log-error"] button').trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-test="entry-row"]')).toHaveLength(1);
    wrapper.unmount();
  });

  it("asks for the next page with the cursor of the previous one (keyset paging)", async () => {
    const fetchPage = vi
      .fn<(q: EntryListQuery) => Promise<EntryPage>>()
      .mockResolvedValueOnce({ entries: [hazard], next_cursor: "c1" })
      .mockResolvedValueOnce({ entries: [patrol], next_cursor: null });
    const { wrapper } = await mountWith(fetchPage);
    wrapper.findComponent(List).vm.$emit("load");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 30, after: "c1" });
    expect(wrapper.findAll('[data-test="entry-row"]')).toHaveLength(2);
    wrapper.unmount();
  });

  it("searches in Chinese from the first page again, keeping the search in later pages", async () => {
    const fetchPage = vi.fn(async (q: EntryListQuery) =>
      q.search ? { entries: [hazard], next_cursor: "c2" } : { entries: [hazard, patrol], next_cursor: null },
    );
    const { wrapper } = await mountWith(fetchPage);
    await wrapper.find('[data-test="log-search"] input').setValue(" 铁网 ");
    await wrapper.find('[data-test="log-search"] input').trigger("keypress", { keyCode: 13 });
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ search: "铁网", limit: 30 });
    expect(wrapper.findAll('[data-test="entry-row"]')).toHaveLength(1);
    wrapper.findComponent(List).vm.$emit("load");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ search: "铁网", limit: 30, after: "c2" });
    wrapper.unmount();
  });

  it("searches as the member types, once the typing pauses, without Enter", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const fetchPage = vi.fn(async (q: EntryListQuery) =>
        q.search ? { entries: [hazard], next_cursor: null } : { entries: [hazard, patrol], next_cursor: null },
      );
      const { wrapper } = await mountWith(fetchPage);
      const calls = fetchPage.mock.calls.length;
      await wrapper.find('[data-test="log-search"] input').setValue("铁");
      await wrapper.find('[data-test="log-search"] input').setValue("铁网");
      vi.advanceTimersByTime(100);
      await flushPromises();
      expect(fetchPage.mock.calls.length).toBe(calls);
      vi.advanceTimersByTime(400);
      await flushPromises();
      expect(fetchPage.mock.calls.length).toBe(calls + 1);
      expect(fetchPage).toHaveBeenLastCalledWith({ search: "铁网", limit: 30 });
      expect(wrapper.findAll('[data-test="entry-row"]')).toHaveLength(1);
      wrapper.unmount();
    } finally {
      vi.useRealTimers();
    }
  });

  it("opens an entry's detail when its row is tapped", async () => {
    const { wrapper, router } = await mountWith(async () => ({ entries: [hazard], next_cursor: null }));
    await wrapper.find('[data-test="entry-row"]').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/entry/h1");
    wrapper.unmount();
  });

  it("keeps only the rows near the screen in the DOM and shows later ones as the member scrolls", async () => {
    // jsdom lays nothing out: each row measures 90 px high, the window is 768 px.
    const offsetHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "offsetHeight")!;
    Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
      configurable: true,
      get(this: HTMLElement) {
        return this.dataset.test === "entry-row" ? 90 : 0;
      },
    });
    const many = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ ...hazard, id: `e${from + i}`, title: `第${from + i}号` }));
    const fetchPage = vi
      .fn<(q: EntryListQuery) => Promise<EntryPage>>()
      .mockResolvedValueOnce({ entries: many(0, 30), next_cursor: "c30" })
      .mockResolvedValueOnce({ entries: many(30, 30), next_cursor: null });
    try {
      const { wrapper, router } = await mountWith(fetchPage);
      wrapper.findComponent(List).vm.$emit("load");
      await flushPromises();
      expect(fetchPage).toHaveBeenLastCalledWith({ limit: 30, after: "c30" });
      expect(wrapper.find('[data-test="log-list"]').attributes("data-loaded")).toBe("60");
      const ids = () => wrapper.findAll('[data-test="entry-row"]').map((r) => r.attributes("data-entry-id"));
      const top = ids();
      expect(top[0]).toBe("e0");
      // A screenful (768 / 98 px) and a few more, not the 60 loaded.
      expect(top.length).toBeGreaterThanOrEqual(8);
      expect(top.length).toBeLessThan(20);

      Object.defineProperty(window, "scrollY", { configurable: true, value: 40 * 98 });
      window.dispatchEvent(new Event("scroll"));
      await flushPromises();
      const scrolled = ids();
      expect(scrolled).toContain("e40");
      expect(scrolled).not.toContain("e0");
      expect(scrolled.length).toBeLessThan(20);
      // The rows shown follow one another, newest first, as they were loaded.
      const numbers = scrolled.map((id) => Number(id!.slice(1)));
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
      // A row shown by scrolling opens its entry like any other.
      await wrapper.find('[data-entry-id="e41"]').trigger("click");
      await flushPromises();
      expect(router.currentRoute.value.fullPath).toBe("/entry/e41");
      wrapper.unmount();
    } finally {
      Object.defineProperty(HTMLElement.prototype, "offsetHeight", offsetHeight);
      Object.defineProperty(window, "scrollY", { configurable: true, value: 0 });
    }
  });

  it("filters by kind and status from the first page again", async () => {
    const fetchPage = vi.fn(async (_q: EntryListQuery) => ({ entries: [hazard], next_cursor: null }));
    const { wrapper } = await mountWith(fetchPage);
    const [kind, status] = wrapper.findAllComponents(DropdownItem);
    kind!.vm.$emit("update:modelValue", "hazard");
    kind!.vm.$emit("change", "hazard");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ kind: "hazard", limit: 30 });
    status!.vm.$emit("update:modelValue", "open");
    status!.vm.$emit("change", "open");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ kind: "hazard", status: "open", limit: 30 });
    expect(wrapper.find('[data-test="log-active-filters"]').text()).toContain("2");
    // A repair has no status: choosing it drops the hazard's status.
    kind!.vm.$emit("update:modelValue", "repair");
    kind!.vm.$emit("change", "repair");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ kind: "repair", limit: 30 });
    wrapper.unmount();
  });

  it("filters by the days picked on the wheels, shown YYYY-MM-DD, from the first page again", async () => {
    const fetchPage = vi.fn(async (_q: EntryListQuery) => ({ entries: [hazard], next_cursor: null }));
    const { wrapper } = await mountWith(fetchPage);
    await openDates(wrapper);
    expect(dayShown(wrapper, "log-since")).toBe("不限");
    expect(dayShown(wrapper, "log-until")).toBe("不限");
    expect(wrapper.find('[data-test="log-since-clear"]').exists()).toBe(false);

    await pickDay(wrapper, "log-since", [lastYear, "03", "01"]);
    expect(dayShown(wrapper, "log-since")).toBe(`${lastYear}-03-01`);
    // The end opens where the start is, a tap or two away.
    await wrapper.find('[data-test="log-until-field"]').trigger("click");
    await flushPromises();
    expect(wheelsAt(wrapper, "log-until")).toEqual([lastYear, "03", "01"]);
    await wrapper.find('[data-test="log-until-picker"] .van-picker__cancel').trigger("click");
    await pickDay(wrapper, "log-until", [lastYear, "03", "02"]);
    expect(dayShown(wrapper, "log-until")).toBe(`${lastYear}-03-02`);
    expect(fetchPage).toHaveBeenCalledTimes(1);

    await wrapper.find('[data-test="log-apply-dates"]').trigger("click");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ since: `${lastYear}-03-01`, until: `${lastYear}-03-02`, limit: 30 });
    expect(wrapper.find(".van-dropdown-menu__bar").text()).toContain("03-01~03-02");
    expect(wrapper.find('[data-test="log-active-filters"]').text()).toContain("2");
    wrapper.unmount();
  });

  it("opens a date filter's wheels at the day it shows, and keeps that day when cancelled", async () => {
    const fetchPage = vi.fn(async (_q: EntryListQuery) => ({ entries: [hazard], next_cursor: null }));
    const { wrapper } = await mountWith(fetchPage);
    await openDates(wrapper);
    await pickDay(wrapper, "log-since", [lastYear, "11", "30"]);
    await wrapper.find('[data-test="log-since-field"]').trigger("click");
    await flushPromises();
    expect(wheelsAt(wrapper, "log-since")).toEqual([lastYear, "11", "30"]);
    const days = wrapper.find('[data-test="log-since-picker"]').findAll(".van-picker-column")[2]!.findAll(".van-picker-column__item");
    await days.find((option) => option.text() === "05")!.trigger("click");
    await wrapper.find('[data-test="log-since-picker"] .van-picker__cancel').trigger("click");
    await flushPromises();
    expect(dayShown(wrapper, "log-since")).toBe(`${lastYear}-11-30`);
    wrapper.unmount();
  });

  it("clears one day with its button, and the log again takes every day", async () => {
    const fetchPage = vi.fn(async (_q: EntryListQuery) => ({ entries: [hazard], next_cursor: null }));
    const { wrapper } = await mountWith(fetchPage);
    await openDates(wrapper);
    await pickDay(wrapper, "log-since", [lastYear, "03", "01"]);
    await wrapper.find('[data-test="log-apply-dates"]').trigger("click");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ since: `${lastYear}-03-01`, limit: 30 });

    await openDates(wrapper);
    await wrapper.find('[data-test="log-since-clear"]').trigger("click");
    await flushPromises();
    expect(dayShown(wrapper, "log-since")).toBe("不限");
    // Clearing does not open the wheels.
    expect(wrapper.find('[data-test="log-since-picker"]').isVisible()).toBe(false);
    await wrapper.find('[data-test="log-apply-dates"]').trigger("click");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 30 });
    expect(wrapper.find('[data-test="log-active-filters"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("says the date filter in English to a member who chose it, the days still YYYY-MM-DD", async () => {
    const fetchPage = vi.fn(async (_q: EntryListQuery) => ({ entries: [hazard], next_cursor: null }));
    const { wrapper } = await mountAt(LogScreen, "/log", { fetchPage }, "en-US");
    try {
      await openDates(wrapper);
      expect(wrapper.find('[data-test="log-since-field"]').text()).toContain("From");
      expect(wrapper.find('[data-test="log-until-field"]').text()).toContain("To");
      expect(dayShown(wrapper, "log-since")).toBe("Any day");
      await wrapper.find('[data-test="log-since-field"]').trigger("click");
      await flushPromises();
      const picker = wrapper.find('[data-test="log-since-picker"]');
      expect(picker.find(".van-picker__title").text()).toBe("From");
      expect(picker.find(".van-picker__confirm").text()).toBe("OK");
      expect(picker.find(".van-picker__cancel").text()).toBe("Cancel");
      await picker.find(".van-picker__cancel").trigger("click");
      await pickDay(wrapper, "log-since", [lastYear, "03", "02"]);
      expect(dayShown(wrapper, "log-since")).toBe(`${lastYear}-03-02`);
      expect(wrapper.find('[data-test="log-since-clear"]').text()).toBe("Clear");
      expect(wrapper.find('[data-test="log-apply-dates"]').text()).toBe("Apply");
    } finally {
      wrapper.unmount();
      setLocale("zh-CN");
    }
  });

  it("lets the post leader see one member's entries, when the phone has several", async () => {
    const fetchPage = vi.fn(async (_q: EntryListQuery) => ({ entries: [hazard], next_cursor: null }));
    lockState.members = [];
    const alone = await mountWith(fetchPage);
    expect(alone.wrapper.find('[data-test="log-filter-author"]').exists()).toBe(false);
    alone.wrapper.unmount();

    lockState.members = [
      { name: "李国华", leader: true, has_pin: true, blocked_seconds: 0 },
      { name: "王明", leader: false, has_pin: true, blocked_seconds: 0 },
    ];
    try {
      const { wrapper } = await mountWith(fetchPage);
      const author = wrapper.findAllComponents(DropdownItem).find((item) => item.attributes("data-test") === "log-filter-author");
      expect(author!.props("options")).toEqual([
        { text: "全部成员", value: "" },
        { text: "李国华", value: "李国华" },
        { text: "王明", value: "王明" },
      ]);
      author!.vm.$emit("update:modelValue", "王明");
      author!.vm.$emit("change", "王明");
      await flushPromises();
      expect(fetchPage).toHaveBeenLastCalledWith({ author: "王明", limit: 30 });
      wrapper.unmount();
    } finally {
      lockState.members = [];
    }
  });
});
