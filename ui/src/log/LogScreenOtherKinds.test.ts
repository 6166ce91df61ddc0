// The log with the new kinds (incident, outreach, activity) and the county's review in its rows.
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import LogScreen from "./LogScreen.vue";
import type { EntryListQuery, EntryPage, EntrySummary } from "./entry";
import { mountAt, mockCommands } from "../test/tauri";

const outreach: EntrySummary = {
  id: "o1",
  kind: "outreach",
  category: "outreach",
  status: null,
  occurred_at: "2024-03-05T10:00:00+08:00",
  author: "李国华",
  title: "普法宣传 · 田蓬村 · 禁毒 · 120 人",
  deleted: false,
  revision: 1,
  photo_count: 0,
  // No mark in the row: another phone's entry, as the store says.
  send_state: "received",
  review_decision: "returned",
};
const incident: EntrySummary = {
  ...outreach,
  id: "i1",
  kind: "incident",
  category: "smuggling",
  title: "走私 · 3 人 · 移交田蓬边境派出所",
  review_decision: "approved",
};

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));
beforeEach(() => mockCommands({}));

describe("LogScreen with the new kinds and the county's review", () => {
  it("labels the new kinds and flags only the returned entry in red", async () => {
    const fetchPage = vi.fn(async (_q: EntryListQuery): Promise<EntryPage> => ({ entries: [outreach, incident], next_cursor: null }));
    const { wrapper } = await mountAt(LogScreen, "/log", { fetchPage });
    const rows = wrapper.findAll('[data-test="entry-row"]');
    expect(rows[0]!.text()).toContain("普法宣传");
    expect(rows[0]!.attributes("data-review")).toBe("returned");
    expect(rows[0]!.find('[data-test="entry-row-review"]').text()).toBe("已退回");
    expect(rows[1]!.text()).toContain("案件");
    expect(rows[1]!.find('[data-test="entry-row-review"]').exists()).toBe(false);
    expect(rows[1]!.find(".van-icon-shield-o").exists()).toBe(true);
    wrapper.unmount();
  });

  it("filters by each of the six kinds", async () => {
    const fetchPage = vi.fn(async (_q: EntryListQuery): Promise<EntryPage> => ({ entries: [outreach], next_cursor: null }));
    const { wrapper } = await mountAt(LogScreen, "/log", { fetchPage });
    await wrapper.find('[data-test="log-filter-kind"]').trigger("click");
    await wrapper.find(".van-dropdown-menu__item").trigger("click");
    await flushPromises();
    const options = document.querySelectorAll(".van-dropdown-item .van-cell");
    const texts = [...options].map((o) => o.textContent?.trim());
    expect(texts).toEqual(expect.arrayContaining(["案件", "普法宣传", "活动"]));
    const outreachOption = [...options].find((o) => o.textContent?.trim() === "普法宣传") as HTMLElement;
    outreachOption.click();
    await flushPromises();
    expect(fetchPage).toHaveBeenLastCalledWith(expect.objectContaining({ kind: "outreach" }));
    wrapper.unmount();
  });
});
