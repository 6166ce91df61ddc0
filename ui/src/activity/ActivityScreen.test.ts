import { describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import ActivityScreen from "./ActivityScreen.vue";
import { callsOf, mountAt } from "../test/tauri";
import { formScreenSetup, mockFormCommands, pressSave, storedEntry } from "../forms/formScreenTesting";

const geo = formScreenSetup();

const saved = storedEntry({
  id: "a1",
  kind: "activity",
  occurred_at: "2024-03-06T15:00:00+08:00",
  body: { activity_type: "joint_meeting", attendees: 15, topic: "第一季度联席会议", description: "" },
});

describe("Activity", () => {
  it("shows the Chinese messages on the type and attendees and saves nothing", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(ActivityScreen, "/activity");
    geo.fail();
    await wrapper.find('[data-test="activity-attendees"] input').setValue("0");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="error-activity_type"]').text()).toBe("请选择活动类型");
    expect(wrapper.find('[data-test="activity-attendees"]').text()).toContain("参加人数应为 1 到 10000 的整数");
    expect(callsOf("record_entry")).toHaveLength(0);
    wrapper.unmount();
  });

  it("records a drill with its attendees and topic", async () => {
    mockFormCommands(saved);
    const { wrapper, router } = await mountAt(ActivityScreen, "/activity");
    geo.fix(23.6251, 105.6312, 9);
    await flushPromises();
    expect(wrapper.findAll('[data-test^="activity-type-"]')).toHaveLength(7);
    expect(wrapper.find('[data-test="activity-attendees"] input').attributes("inputmode")).toBe("numeric");
    await wrapper.find('[data-test="activity-type-drill"]').trigger("click");
    await wrapper.find('[data-test="activity-attendees"] input').setValue("12");
    await wrapper.find('[data-test="activity-topic"] input').setValue("突发事件处置演练");
    await pressSave(wrapper);
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
    mockFormCommands(saved, { get_entry: saved, edit_entry: saved });
    const { wrapper } = await mountAt(ActivityScreen, "/activity/a1/edit", { id: "a1" });
    await wrapper.find('[data-test="activity-attendees"] input').setValue("16");
    await pressSave(wrapper);
    expect(callsOf("edit_entry")[0]).toMatchObject({
      id: "a1",
      draft: { occurred_at: "2024-03-06T15:00:00+08:00", body: { activity_type: "joint_meeting", attendees: 16 } },
    });
    wrapper.unmount();
  });
});
