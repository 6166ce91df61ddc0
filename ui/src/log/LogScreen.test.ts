import { afterAll, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { Button, Empty, List, NavBar, PullRefresh, Tag } from "vant";
import LogScreen from "./LogScreen.vue";
import { i18n } from "../i18n";
import type { EntryListQuery, EntryPage, EntrySummary } from "./entry";

const patrol: EntrySummary = {
  id: "p1",
  kind: "patrol",
  category: "joint",
  status: "ended",
  occurred_at: "2024-03-02T08:10:00+08:00",
  author: null,
  title: "联合巡逻 · 界碑123附近发现新踩踏便道",
  deleted: false,
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

// Vant's NavBar measures itself again on a timer after mounting (later on a loaded machine);
// let those timers run while the DOM still exists, or they fire after the test environment is
// gone ("window is not defined").
afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));

function mountWith(fetchPage: (q: EntryListQuery) => Promise<EntryPage>) {
  return mount(LogScreen, {
    props: { fetchPage },
    global: { plugins: [i18n, Button, Empty, List, NavBar, PullRefresh, Tag] },
  });
}

describe("LogScreen", () => {
  it("switches to English from the right end of the bar and back", async () => {
    const wrapper = mountWith(async () => ({ entries: [hazard], next_cursor: null }));
    await flushPromises();
    await wrapper.find('[data-test="language-toggle"]').trigger("click");
    expect(wrapper.find(".van-nav-bar__title").text()).toBe("Patrol Log");
    expect(wrapper.find('[data-test="entry-row"]').text()).toContain("Hazard");
    await wrapper.find(".van-nav-bar__right").trigger("click");
    expect(wrapper.find(".van-nav-bar__title").text()).toBe("巡防日志");
  });

  it("lists the entries in the order the store gives them, with Chinese labels", async () => {
    const fetchPage = vi.fn(async () => ({ entries: [hazard, patrol], next_cursor: null }));
    const wrapper = mountWith(fetchPage);
    await flushPromises();

    expect(fetchPage).toHaveBeenCalledWith({ limit: 30 });
    expect(wrapper.text()).toContain("巡防日志");
    const rows = wrapper.findAll('[data-test="entry-row"]');
    expect(rows.map((r) => r.attributes("data-entry-id"))).toEqual(["h1", "p1"]);
    expect(rows[0]!.text()).toContain("隐患排查");
    expect(rows[0]!.text()).toContain("铁网被洪水冲毁约30米");
    expect(rows[0]!.text()).toContain("待处置");
    expect(rows[1]!.text()).toContain("巡逻");
    expect(rows[1]!.text()).toContain("已结束");
    expect(wrapper.find('[data-test="log-empty"]').exists()).toBe(false);
  });

  it("shows 暂无记录 when the store is empty", async () => {
    const wrapper = mountWith(async () => ({ entries: [], next_cursor: null }));
    await flushPromises();
    expect(wrapper.find('[data-test="log-empty"]').text()).toContain("暂无记录");
  });

  it("shows the shell's error message and loads again on retry", async () => {
    const fetchPage = vi
      .fn<(q: EntryListQuery) => Promise<EntryPage>>()
      .mockRejectedValueOnce({ kind: "storage", message: "本机数据库无法打开" })
      .mockResolvedValueOnce({ entries: [patrol], next_cursor: null });
    const wrapper = mountWith(fetchPage);
    await flushPromises();
    expect(wrapper.find('[data-test="log-error"]').text()).toContain("本机数据库无法打开");

    await wrapper.find('[data-test="log-error"] button').trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-test="entry-row"]')).toHaveLength(1);
  });

  it("asks for the next page with the cursor of the previous one", async () => {
    const fetchPage = vi
      .fn<(q: EntryListQuery) => Promise<EntryPage>>()
      .mockResolvedValueOnce({ entries: [hazard], next_cursor: "c1" })
      .mockResolvedValueOnce({ entries: [patrol], next_cursor: null });
    const wrapper = mountWith(fetchPage);
    await flushPromises();
    wrapper.findComponent(List).vm.$emit("load");
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 30, after: "c1" });
    expect(wrapper.findAll('[data-test="entry-row"]')).toHaveLength(2);
  });
});
