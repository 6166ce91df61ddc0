import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import App from "../App.vue";
import HomeScreen from "../home/HomeScreen.vue";
import { baseSettings, baseStatus, emitEvent, fastProgress, mockCommands, mountAt, slowProgress, unlockedScreen } from "../test/tauri";
import { stopSyncState } from "../sync/syncState";
import { noteEntryChange } from "./changes";
import { callsOf } from "../test/tauri";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));
beforeEach(() => stopSyncState());

const summary = { patrols_today: 2, open_hazards: 5, repairs_this_month: 7, returned_entries: 0, running_patrol_id: null };

describe("the app frame", () => {
  it("shows the sync chip from sync_status and follows the sync-state and sync-progress events", async () => {
    mockCommands({
      sync_status: { ...baseStatus, pending_records: 3 },
      get_settings: baseSettings,
      lock_screen: unlockedScreen,
      home_summary: summary,
    });
    const { wrapper } = await mountAt(App, "/");
    const chip = () => wrapper.find('[data-test="sync-chip"]');
    expect(chip().text()).toBe("3 条待同步");

    emitEvent("sync-state", { ...baseStatus, pending_records: 3, syncing: true });
    emitEvent("sync-progress", { ...fastProgress, phase: "records", records_done: 9, records_total: 20, bytes_done: 0, bytes_total: 0 });
    await flushPromises();
    expect(chip().text()).toBe("同步中 45%");

    emitEvent("sync-progress", slowProgress);
    await flushPromises();
    expect(chip().text()).toBe("网络较慢 · 1.2/3.4 MB");
    expect(chip().attributes("data-tone")).toBe("syncing");

    emitEvent("sync-state", { ...baseStatus, online: false });
    await flushPromises();
    expect(chip().text()).toBe("离线");
    wrapper.unmount();
  });

  it("puts a badge on the chip while the county has returned entries no member has fixed", async () => {
    mockCommands({ sync_status: { ...baseStatus, returned_entries: 2 }, get_settings: baseSettings, lock_screen: unlockedScreen, home_summary: summary });
    const { wrapper } = await mountAt(App, "/");
    expect(wrapper.find('[data-test="sync-chip-returned"]').text()).toBe("退回 2");
    emitEvent("sync-state", { ...baseStatus, returned_entries: 0 });
    await flushPromises();
    expect(wrapper.find('[data-test="sync-chip-returned"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("keeps the chip on every screen and opens Sync from it", async () => {
    mockCommands({ sync_status: baseStatus, get_settings: baseSettings, lock_screen: unlockedScreen, home_summary: summary, list_entries: { entries: [], next_cursor: null } });
    const { wrapper, router } = await mountAt(App, "/log");
    expect(wrapper.find('[data-test="sync-chip"]').exists()).toBe(true);
    await wrapper.find('[data-test="sync-chip"]').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/sync");
    expect(wrapper.find('[data-test="sync-chip"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("applies the stored language at start", async () => {
    mockCommands({ sync_status: baseStatus, get_settings: { ...baseSettings, language: "en" }, lock_screen: unlockedScreen, home_summary: summary });
    const { wrapper } = await mountAt(App, "/");
    await flushPromises();
    expect(wrapper.find(".van-nav-bar__title").text()).toBe("Patrol Log");
    expect(wrapper.find('[data-test="tab-settings"]').text()).toContain("Settings");
    wrapper.unmount();
  });
});

describe("the log behind an entry's detail", () => {
  it("is kept as it was when the member comes back, and reloaded after an entry changed", async () => {
    const row = { id: "h1", kind: "hazard", category: "fence", status: "open", occurred_at: "2024-03-02T09:00:00+08:00", author: null, title: "铁网", deleted: false };
    mockCommands({
      sync_status: baseStatus,
      get_settings: baseSettings,
      lock_screen: unlockedScreen,
      list_entries: { entries: [row], next_cursor: null },
      get_entry: { ...row, device_id: "d", body: { category: "fence", severity: "high", description: "" }, photos: [], revision: 1, created_at: "", updated_at: "" },
      entry_history: [],
    });
    const { wrapper, router } = await mountAt(App, "/log");
    expect(callsOf("list_entries")).toHaveLength(1);
    await wrapper.find('[data-test="entry-row"]').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/entry/h1");
    router.back();
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe("/log"));
    await flushPromises();
    expect(wrapper.findAll('[data-test="entry-row"]')).toHaveLength(1);
    expect(callsOf("list_entries")).toHaveLength(1);

    await router.push("/entry/h1");
    await flushPromises();
    noteEntryChange();
    router.back();
    await vi.waitFor(() => expect(callsOf("list_entries")).toHaveLength(2));
    wrapper.unmount();
  });
});

describe("Home", () => {
  it("shows today at a glance", async () => {
    mockCommands({ home_summary: summary });
    const { wrapper } = await mountAt(HomeScreen, "/");
    expect(wrapper.find('[data-test="stat-patrols"]').text()).toContain("2");
    expect(wrapper.find('[data-test="stat-hazards"]').text()).toContain("5");
    expect(wrapper.find('[data-test="stat-repairs"]').text()).toContain("7");
    expect(wrapper.find('[data-test="home-running-patrol"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("leads back to a patrol still running", async () => {
    mockCommands({ home_summary: { ...summary, running_patrol_id: "p1" } });
    const { wrapper, router } = await mountAt(HomeScreen, "/");
    const banner = wrapper.find('[data-test="home-running-patrol"]');
    expect(banner.text()).toContain("巡逻进行中");
    expect(wrapper.find('[data-test="home-start-patrol"]').exists()).toBe(false);
    await banner.trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/patrol");
    wrapper.unmount();
  });

  it("says when the summary cannot be read", async () => {
    mockCommands({ home_summary: () => Promise.reject({ kind: "database", message: "本机数据库出错" }) });
    const { wrapper } = await mountAt(HomeScreen, "/");
    expect(wrapper.find('[data-test="home-error"]').text()).toContain("本机数据库出错");
    wrapper.unmount();
  });
});
