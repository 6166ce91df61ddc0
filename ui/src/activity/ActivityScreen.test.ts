import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import ActivityScreen from "./ActivityScreen.vue";
import { baseSettings, callsOf, fakeGeolocation, mockCommands, mountAt } from "../test/tauri";
import { session } from "../app/session";
import type { Entry } from "../tauri/types";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));
let geo: ReturnType<typeof fakeGeolocation>;
beforeEach(() => {
  geo = fakeGeolocation();
  session.settings = { ...baseSettings };
});
afterEach(() => geo.remove());

const saved: Entry = {
  id: "a1",
  device_id: "d",
  kind: "activity",
  occurred_at: "2024-03-06T15:00:00+08:00",
  body: { activity_type: "joint_meeting", attendees: 15, topic: "第一季度联席会议", description: "" },
  photos: [],
  revision: 1,
  created_at: "",
  updated_at: "",
  deleted: false,
};

function commands(extra: Record<string, unknown> = {}) {
  mockCommands({
    load_draft: null,
    save_draft: null,
    clear_draft: null,
    record_entry: saved,
    sync_status: { pending_records: 1, pending_photo_bytes: 0, rejected: [], syncing: false, online: null },
    ...extra,
  });
}

describe("Activity", () => {
  it("shows the Chinese messages on the type and attendees and saves nothing", async () => {
    commands();
    const { wrapper } = await mountAt(ActivityScreen, "/activity");
    geo.fail();
    await wrapper.find('[data-test="activity-attendees"] input').setValue("0");
    await wrapper.find('[data-test="form-save"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-test="error-activity_type"]').text()).toBe("请选择活动类型");
    expect(wrapper.find('[data-test="activity-attendees"]').text()).toContain("参加人数应为 1 到 10000 的整数");
    expect(callsOf("record_entry")).toHaveLength(0);
    wrapper.unmount();
  });

  it("records a drill with its attendees and topic", async () => {
    commands();
    const { wrapper, router } = await mountAt(ActivityScreen, "/activity");
    geo.fix(23.6251, 105.6312, 9);
    await flushPromises();
    expect(wrapper.findAll('[data-test^="activity-type-"]')).toHaveLength(7);
    expect(wrapper.find('[data-test="activity-attendees"] input').attributes("inputmode")).toBe("numeric");
    await wrapper.find('[data-test="activity-type-drill"]').trigger("click");
    await wrapper.find('[data-test="activity-attendees"] input').setValue("12");
    await wrapper.find('[data-test="activity-topic"] input').setValue("突发事件处置演练");
    await wrapper.find('[data-test="form-save"]').trigger("click");
    await flushPromises();
    expect(callsOf("record_entry")[0]).toMatchObject({
      draft: {
        kind: "activity",
        location: { lat: 23.6251, lon: 105.6312, accuracy_m: 9 },
        body: { activity_type: "drill", attendees: 12, topic: "突发事件处置演练", description: "" },
      },
    });
    expect(callsOf("clear_draft")).toEqual([{ form: "activity" }]);
    expect(router.currentRoute.value.path).toBe("/");
    wrapper.unmount();
  });

  it("edits a stored activity", async () => {
    commands({ get_entry: saved, edit_entry: saved });
    const { wrapper } = await mountAt(ActivityScreen, "/activity/a1/edit", { id: "a1" });
    await wrapper.find('[data-test="activity-attendees"] input').setValue("16");
    await wrapper.find('[data-test="form-save"]').trigger("click");
    await flushPromises();
    expect(callsOf("edit_entry")[0]).toMatchObject({
      id: "a1",
      draft: { occurred_at: "2024-03-06T15:00:00+08:00", body: { activity_type: "joint_meeting", attendees: 16 } },
    });
    wrapper.unmount();
  });
});
