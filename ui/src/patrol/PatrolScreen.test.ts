import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import PatrolScreen from "./PatrolScreen.vue";
import { baseSettings, callsOf, fakeGeolocation, mockCommands, mountAt } from "../test/tauri";
import { session } from "../app/session";
import type { Entry } from "../tauri/types";
import { resetTrackRecorder, restartStalledWatch, trackRecorder } from "./trackRecorder";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));
let geo: ReturnType<typeof fakeGeolocation>;
beforeEach(() => {
  resetTrackRecorder();
  geo = fakeGeolocation();
  session.settings = { ...baseSettings };
  session.loaded = true;
});
afterEach(() => geo.remove());

const startedAt = new Date(Date.now() - 65_000);
const running: Entry = {
  id: "p1",
  device_id: "d",
  kind: "patrol",
  occurred_at: startedAt.toISOString(),
  body: { joint: false, members: ["王明"], partners: [], markers: [], findings: "" },
  photos: [],
  status: "running",
  revision: 1,
  created_at: "",
  updated_at: "",
  deleted: false,
};

function commands(extra: Record<string, unknown> = {}) {
  let points = 0;
  mockCommands({
    load_draft: null,
    save_draft: null,
    clear_draft: null,
    running_patrol: null,
    start_patrol: running,
    append_track_point: () => ({ patrol_id: "p1", point_count: ++points, distance_m: points * 600, running: true }),
    end_patrol: { ...running, status: "ended" },
    sync_status: { pending_records: 1, pending_photo_bytes: 0, rejected: [], syncing: false, online: null },
    ...extra,
  });
}

describe("Patrol", () => {
  it("starts with the members and partners chosen, then records each GPS fix as a track point", async () => {
    commands();
    const { wrapper } = await mountAt(PatrolScreen, "/patrol");
    await wrapper.find('[data-test="patrol-member-李国华"]').trigger("click");
    await wrapper.find('[data-test="patrol-member-王明"]').trigger("click");
    await wrapper.find('[data-test="partner-add"]').trigger("click");
    await wrapper.find('[data-test="partner-count-0"] input').setValue("3");
    await wrapper.find('[data-test="partner-add"]').trigger("click");
    await wrapper.find('[data-test="partner-unit-1-village_committee"]').trigger("click");
    await wrapper.find('[data-test="patrol-markers"] input').setValue("123, 124");
    await wrapper.find('[data-test="patrol-start"]').trigger("click");
    await flushPromises();
    expect(callsOf("start_patrol")[0]).toEqual({
      body: {
        joint: true,
        members: ["李国华", "王明"],
        partners: [
          { unit: "army", count: 3 },
          { unit: "village_committee", count: 1 },
        ],
        markers: ["123", "124"],
        findings: "",
      },
    });
    expect(wrapper.find('[data-test="patrol-live"]').exists()).toBe(true);

    geo.fix(23.6251, 105.6312, 5, Date.now());
    await flushPromises();
    geo.fix(23.6301, 105.6312, 5, Date.now() + 10_000);
    await flushPromises();
    expect(callsOf("append_track_point")).toHaveLength(2);
    expect(callsOf("append_track_point")[0]).toMatchObject({ patrolId: "p1", point: { lat: 23.6251, lon: 105.6312, accuracy_m: 5 } });
    expect(wrapper.find('[data-test="patrol-points"]').text()).toBe("2");
    expect(wrapper.find('[data-test="patrol-distance"]').text()).toBe("1.20 公里");
    expect(wrapper.find('[data-test="patrol-duration"]').text()).toMatch(/^01:0\d$/);
    wrapper.unmount();
  });

  it("brings back a patrol still running after the app was killed, and ends it", async () => {
    commands({ running_patrol: { entry: running, track: { point_count: 42, uncounted_point_count: 2, distance_m: 3100, running: true } } });
    const { wrapper, router } = await mountAt(PatrolScreen, "/patrol");
    expect(wrapper.find('[data-test="patrol-points"]').text()).toBe("42");
    expect(wrapper.find('[data-test="patrol-uncounted"]').text()).toContain("2 个定位点偏差过大");
    expect(wrapper.find('[data-test="patrol-distance"]').text()).toBe("3.10 公里");
    expect(wrapper.find('[data-test="patrol-member-王明"]').attributes("aria-pressed")).toBe("true");

    await wrapper.find('[data-test="patrol-findings"] textarea').setValue("界碑123附近发现新踩踏便道");
    await wrapper.find('[data-test="patrol-end"]').trigger("click");
    await flushPromises();
    (document.querySelector(".van-dialog__confirm") as HTMLElement).click();
    await vi.waitFor(() => expect(callsOf("end_patrol")).toHaveLength(1));
    await flushPromises();
    expect(callsOf("end_patrol")[0]).toMatchObject({ patrolId: "p1", body: { findings: "界碑123附近发现新踩踏便道", members: ["王明"] } });
    expect(callsOf("clear_draft")).toEqual([{ form: "patrol" }]);
    expect(router.currentRoute.value.path).toBe("/");
    wrapper.unmount();
  });

  it("says no location is available instead of making one up", async () => {
    commands();
    const { wrapper } = await mountAt(PatrolScreen, "/patrol");
    geo.fail();
    await flushPromises();
    expect(wrapper.find('[data-test="patrol-gps"]').text()).toContain("无法获取位置");
    await wrapper.find('[data-test="patrol-start"]').trigger("click");
    await flushPromises();
    expect(callsOf("start_patrol")[0]).not.toHaveProperty("location");
    expect(callsOf("append_track_point")).toHaveLength(0);
    wrapper.unmount();
  });

  it("shows a head-count problem the store reports under the partners", async () => {
    commands({
      start_patrol: () =>
        Promise.reject({ kind: "invalid", message: "x", problems: [{ field: "body.partners[0].count", message: "人数应为 1 到 10000 的整数" }] }),
    });
    const { wrapper } = await mountAt(PatrolScreen, "/patrol");
    await wrapper.find('[data-test="partner-add"]').trigger("click");
    await wrapper.find('[data-test="patrol-start"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-test="error-partners"]').text()).toBe("人数应为 1 到 10000 的整数");
    expect(wrapper.find('[data-test="patrol-live"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("keeps recording the track when the member leaves the patrol screen, and stops at the end", async () => {
    commands({ running_patrol: { entry: running, track: { point_count: 13, distance_m: 2000, running: true } } });
    const first = await mountAt(PatrolScreen, "/patrol");
    expect(first.wrapper.find('[data-test="patrol-points"]').text()).toBe("13");
    first.wrapper.unmount();

    // Another screen is open (Home, then a hazard's form): the fixes still become points.
    geo.fix(23.6251, 105.6312, 5, Date.now());
    await flushPromises();
    geo.fix(23.6301, 105.6312, 5, Date.now() + 10_000);
    await flushPromises();
    expect(callsOf("append_track_point")).toHaveLength(2);
    expect(trackRecorder.track.point_count).toBe(2);

    const again = await mountAt(PatrolScreen, "/patrol");
    expect(again.wrapper.find('[data-test="patrol-points"]').text()).toBe("2");
    await again.wrapper.find('[data-test="patrol-end"]').trigger("click");
    await flushPromises();
    (document.querySelector(".van-dialog__confirm") as HTMLElement).click();
    await vi.waitFor(() => expect(callsOf("end_patrol")).toHaveLength(1));
    await flushPromises();
    again.wrapper.unmount();
    // Ended and no screen following the position: the GPS is let go.
    geo.fix(23.6351, 105.6312, 5, Date.now() + 20_000);
    await flushPromises();
    expect(callsOf("append_track_point")).toHaveLength(2);
    expect(geo.geolocation.clearWatch).toHaveBeenCalled();
  });

  it("starts a watch again on a screen change when the one running never answered", async () => {
    commands({ running_patrol: { entry: running, track: { point_count: 0, distance_m: 0, running: true } } });
    const { wrapper } = await mountAt(PatrolScreen, "/patrol");
    wrapper.unmount();
    expect(geo.geolocation.watchPosition).toHaveBeenCalledTimes(1);
    restartStalledWatch();
    expect(geo.geolocation.watchPosition).toHaveBeenCalledTimes(2);
    expect(geo.geolocation.clearWatch).toHaveBeenCalledTimes(1);
    geo.fix(23.6251, 105.6312, 5, Date.now());
    await flushPromises();
    // Answering now: a screen change leaves the watch alone.
    restartStalledWatch();
    expect(geo.geolocation.watchPosition).toHaveBeenCalledTimes(2);
    expect(callsOf("append_track_point")).toHaveLength(1);
  });

  it("lists what was recorded during the running patrol and records more from there", async () => {
    const row = { id: "h9", kind: "hazard", category: "fence", status: "open", occurred_at: new Date().toISOString(), author: "王明", title: "铁网被冲毁", revision: 1, deleted: false, photo_count: 0 };
    commands({
      running_patrol: { entry: running, track: { point_count: 3, distance_m: 900, running: true } },
      list_entries: { entries: [row], next_cursor: null },
    });
    const { wrapper, router } = await mountAt(PatrolScreen, "/patrol");
    expect(callsOf("list_entries")[0]).toEqual({ query: { patrol: "p1", limit: 200 } });
    const listed = wrapper.findAll('[data-test="patrol-entry"]');
    expect(listed).toHaveLength(1);
    expect(listed[0]?.attributes("data-kind")).toBe("hazard");
    expect(listed[0]?.text()).toContain("铁网被冲毁");
    await wrapper.find('[data-test="patrol-new-hazard"]').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/hazard");
    wrapper.unmount();
  });
});
