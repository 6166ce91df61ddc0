import { afterAll, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import HomeScreen from "./HomeScreen.vue";
import { baseSettings, mockCommands, mountAt } from "../test/tauri";
import { session } from "../app/session";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));

const summary = { patrols_today: 2, open_hazards: 1, repairs_this_month: 4, returned_entries: 0 };

describe("Home", () => {
  it("keeps today's figures and offers all six kinds to record, each opening its form", async () => {
    session.settings = { ...baseSettings };
    mockCommands({ home_summary: summary });
    const { wrapper, router } = await mountAt(HomeScreen, "/");
    expect(wrapper.find('[data-test="stat-patrols"]').text()).toContain("2");
    expect(wrapper.find('[data-test="stat-hazards"]').text()).toContain("1");
    expect(wrapper.find('[data-test="stat-repairs"]').text()).toContain("4");
    const tiles = wrapper.findAll('[data-test="home-record"] button');
    expect(tiles.map((tile) => tile.text())).toEqual(["开始巡逻", "隐患排查", "修复登记", "案件", "普法宣传", "活动"]);
    for (const [test, path] of [
      ["home-start-patrol", "/patrol"],
      ["home-new-hazard", "/hazard"],
      ["home-new-repair", "/repair"],
      ["home-new-incident", "/incident"],
      ["home-new-outreach", "/outreach"],
      ["home-new-activity", "/activity"],
    ]) {
      await wrapper.find(`[data-test="${test}"]`).trigger("click");
      await flushPromises();
      expect(router.currentRoute.value.path).toBe(path);
    }
    wrapper.unmount();
  });

  it("leads back to a running patrol instead of starting one", async () => {
    mockCommands({ home_summary: { ...summary, running_patrol_id: "p1" } });
    const { wrapper } = await mountAt(HomeScreen, "/");
    expect(wrapper.find('[data-test="home-start-patrol"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="home-patrol-running-tile"]').text()).toBe("巡逻进行中");
    expect(wrapper.findAll('[data-test="home-record"] button')).toHaveLength(6);
    wrapper.unmount();
  });

  it("announces the entries the county returned and leads to the log, and is silent when none are", async () => {
    mockCommands({ home_summary: summary });
    const quiet = await mountAt(HomeScreen, "/");
    expect(quiet.wrapper.find('[data-test="home-returned"]').exists()).toBe(false);
    quiet.wrapper.unmount();

    mockCommands({ home_summary: { ...summary, returned_entries: 3 } });
    const { wrapper, router } = await mountAt(HomeScreen, "/");
    const returned = wrapper.find('[data-test="home-returned"]');
    expect(returned.text()).toContain("3 条被县里退回");
    expect(returned.text()).toContain("点击查看退回意见并修改");
    await returned.trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/log?review=returned");
    wrapper.unmount();
  });
});
