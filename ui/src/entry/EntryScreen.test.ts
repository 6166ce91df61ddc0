import { afterAll, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import EntryScreen from "./EntryScreen.vue";
import { callsOf, mockCommands, mountAt } from "../test/tauri";
import type { Entry } from "../tauri/types";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));

const hazard: Entry = {
  id: "h1",
  device_id: "d",
  kind: "hazard",
  occurred_at: "2024-03-02T09:00:00+08:00",
  author: "李国华",
  location: { lat: 23.6251, lon: 105.6312 },
  body: { category: "fence", severity: "high", description: "铁网被洪水冲毁约30米" },
  photos: [],
  status: "open",
  revision: 2,
  created_at: "2024-03-02T01:00:00Z",
  updated_at: "2024-03-02T02:00:00Z",
  deleted: false,
};
const history = [
  { revision: 1, change: "create", changed_at: "2024-03-02T01:00:00Z", entry: { ...hazard, revision: 1 } },
  { revision: 2, change: "edit", changed_at: "2024-03-02T02:00:00Z", entry: hazard },
];

describe("Entry detail", () => {
  it("shows the entry's fields in Chinese and its history, newest first", async () => {
    mockCommands({ get_entry: hazard, entry_history: history });
    const { wrapper } = await mountAt(EntryScreen, "/entry/h1", { id: "h1" });
    expect(wrapper.find('[data-test="detail-category"]').text()).toContain("铁网/围栏");
    expect(wrapper.find('[data-test="detail-severity"]').text()).toContain("高");
    expect(wrapper.find('[data-test="detail-description"]').text()).toContain("铁网被洪水冲毁约30米");
    expect(wrapper.find('[data-test="detail-occurred_at"]').text()).toContain("2024-03-02 09:00");
    const rows = wrapper.findAll('[data-test="history-row"]');
    expect(rows.map((r) => r.text().split(" · ")[1]?.slice(0, 2))).toEqual(["修改", "新建"]);
    wrapper.unmount();
  });

  it("shows the hazard a repair closes by what it is, and opens it", async () => {
    const repair = { ...hazard, id: "r1", kind: "repair", status: null, body: { category: "fence", quantity: 30, unit: "m", closes_hazard: "h1", description: "" } };
    mockCommands({ get_entry: (args: Record<string, unknown>) => (args.id === "r1" ? repair : hazard), entry_history: history });
    const { wrapper } = await mountAt(EntryScreen, "/entry/r1", { id: "r1" });
    expect(wrapper.find('[data-test="detail-quantity"]').text()).toContain("30 米");
    const link = wrapper.find('[data-test="detail-closes_hazard"]');
    expect(link.text()).toContain("铁网/围栏 · 铁网被洪水冲毁约30米");
    wrapper.unmount();
  });

  it("opens the kind's edit form", async () => {
    mockCommands({ get_entry: { ...hazard, kind: "repair" }, entry_history: history });
    const { wrapper, router } = await mountAt(EntryScreen, "/entry/h1", { id: "h1" });
    await wrapper.find('[data-test="entry-edit"]').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/repair/h1/edit");
    wrapper.unmount();
  });

  it("deletes only after the confirmation", async () => {
    mockCommands({ get_entry: hazard, entry_history: history, delete_entry: { ...hazard, deleted: true }, sync_status: {} });
    const { wrapper } = await mountAt(EntryScreen, "/entry/h1", { id: "h1" });

    await wrapper.find('[data-test="entry-delete"]').trigger("click");
    await flushPromises();
    expect(document.body.textContent).toContain("确定删除这条记录吗");
    (document.querySelector(".van-dialog__cancel") as HTMLElement).click();
    await flushPromises();
    expect(callsOf("delete_entry")).toHaveLength(0);

    await wrapper.find('[data-test="entry-delete"]').trigger("click");
    await flushPromises();
    const confirms = document.querySelectorAll(".van-dialog__confirm");
    (confirms[confirms.length - 1] as HTMLElement).click();
    await vi.waitFor(() => expect(callsOf("delete_entry")).toEqual([{ id: "h1" }]));
    wrapper.unmount();
  });

  it("shows an incident's, a session's and an activity's own fields in Chinese", async () => {
    const incident: Entry = { ...hazard, id: "i1", kind: "incident", status: undefined, body: { crime_type: "illegal_crossing", persons: 2, handed_to: "田蓬边境派出所", description: "劝返" } };
    const outreach: Entry = { ...hazard, id: "o1", kind: "outreach", status: undefined, body: { village: "田蓬村", topic: "禁毒", audience: 120, description: "" } };
    const activity: Entry = { ...hazard, id: "a1", kind: "activity", status: undefined, body: { activity_type: "quarterly_meeting", attendees: 15, topic: "", description: "" } };
    const byId: Record<string, Entry> = { i1: incident, o1: outreach, a1: activity };
    mockCommands({ get_entry: (args: Record<string, unknown>) => byId[args.id as string], entry_history: history });
    const expected: Record<string, [string, string][]> = {
      i1: [["entry-kind", "案件"], ["detail-crime_type", "非法越境"], ["detail-persons", "2 人"], ["detail-handed_to", "田蓬边境派出所"]],
      o1: [["entry-kind", "普法宣传"], ["detail-village", "田蓬村"], ["detail-topic", "禁毒"], ["detail-audience", "120 人"], ["detail-description", "无"]],
      a1: [["entry-kind", "活动"], ["detail-activity_type", "季度边境管控推进会"], ["detail-attendees", "15 人"]],
    };
    for (const [id, lines] of Object.entries(expected)) {
      const { wrapper } = await mountAt(EntryScreen, `/entry/${id}`, { id });
      for (const [test, text] of lines) expect(wrapper.find(`[data-test="${test}"]`).text()).toContain(text);
      expect(wrapper.find('[data-test="entry-review"]').exists()).toBe(false);
      wrapper.unmount();
    }
  });

  it("says the county returned an entry, why, who and when, and offers to fix it", async () => {
    const returned: Entry = {
      ...hazard,
      id: "o1",
      kind: "outreach",
      status: undefined,
      body: { village: "田蓬村", topic: "禁毒", audience: 120, description: "" },
      review: { decision: "returned", comment: "请补充宣传照片", reviewer: "张科长", decided_at: "2024-03-07T02:00:00Z" },
    };
    mockCommands({ get_entry: returned, entry_history: history });
    const { wrapper, router } = await mountAt(EntryScreen, "/entry/o1", { id: "o1" });
    const review = wrapper.find('[data-test="entry-review"]');
    expect(review.attributes("data-decision")).toBe("returned");
    expect(wrapper.find('[data-test="entry-review-text"]').text()).toBe("已退回：请补充宣传照片");
    const when = new Date("2024-03-07T02:00:00Z");
    const pad = (n: number) => String(n).padStart(2, "0");
    const local = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}`;
    expect(wrapper.find('[data-test="entry-review-by"]').text()).toBe(`张科长 · ${local}`);
    expect(review.text()).toContain("请按县里的意见修改后保存");
    await wrapper.find('[data-test="review-fix"]').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/outreach/o1/edit");
    wrapper.unmount();
  });

  it("says an approved entry passed, with no fix to offer", async () => {
    const approved: Entry = {
      ...hazard,
      review: { decision: "approved", comment: "", reviewer: "张科长", decided_at: "2024-03-07T02:00:00Z" },
    };
    mockCommands({ get_entry: approved, entry_history: history });
    const { wrapper } = await mountAt(EntryScreen, "/entry/h1", { id: "h1" });
    expect(wrapper.find('[data-test="entry-review"]').attributes("data-decision")).toBe("approved");
    expect(wrapper.find('[data-test="entry-review-text"]').text()).toBe("已通过");
    expect(wrapper.find('[data-test="entry-review-by"]').text()).toContain("张科长");
    expect(wrapper.find('[data-test="review-fix"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="entry-edit"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("offers no fix for a returned entry that is deleted, nor an edit form for a kind it does not know", async () => {
    const review = { decision: "returned", comment: "重复记录", reviewer: "张科长", decided_at: "2024-03-07T02:00:00Z" };
    mockCommands({ get_entry: { ...hazard, deleted: true, review }, entry_history: history });
    let mounted = await mountAt(EntryScreen, "/entry/h1", { id: "h1" });
    expect(mounted.wrapper.find('[data-test="entry-review-text"]').text()).toBe("已退回：重复记录");
    expect(mounted.wrapper.find('[data-test="review-fix"]').exists()).toBe(false);
    mounted.wrapper.unmount();

    mockCommands({ get_entry: { ...hazard, kind: "duty_rota", review }, entry_history: history });
    mounted = await mountAt(EntryScreen, "/entry/h1", { id: "h1" });
    expect(mounted.wrapper.find('[data-test="entry-kind"]').text()).toContain("其他");
    expect(mounted.wrapper.find('[data-test="review-fix"]').exists()).toBe(false);
    expect(mounted.wrapper.find('[data-test="entry-edit"]').exists()).toBe(false);
    expect(mounted.wrapper.find('[data-test="entry-delete"]').exists()).toBe(true);
    mounted.wrapper.unmount();
  });

  it("says whether the county has it: refused, with the reasons", async () => {
    mockCommands({
      get_entry: hazard,
      entry_history: history,
      entry_send_state: { state: "rejected", problems: [{ field: "body.description", message_zh: "描述过于简单", message_en: "too vague" }] },
    });
    const { wrapper } = await mountAt(EntryScreen, "/entry/h1", { id: "h1" });
    const mark = wrapper.find('[data-test="entry-send-state"]');
    expect(mark.attributes("data-state")).toBe("rejected");
    expect(mark.text()).toContain("被县里拒收");
    expect(mark.text()).toContain("描述过于简单");
    wrapper.unmount();
  });

  it("says an entry not sent yet will go once online", async () => {
    mockCommands({ get_entry: hazard, entry_history: history, entry_send_state: { state: "pending", problems: [] } });
    const { wrapper } = await mountAt(EntryScreen, "/entry/h1", { id: "h1" });
    expect(wrapper.find('[data-test="entry-send-state"]').text()).toBe("待发送：联网后自动发送到县里");
    wrapper.unmount();
  });
});
