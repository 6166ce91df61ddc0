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
});
