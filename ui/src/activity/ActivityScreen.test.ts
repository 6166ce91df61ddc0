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

  it("a meeting written up afterwards keeps its end: 2 小时 after the start chosen", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(ActivityScreen, "/activity");
    geo.fail();
    expect(wrapper.find('[data-test="ended-at-field"] input').element).toHaveProperty("value", "未填（可不填）");
    await wrapper.find('[data-test="activity-type-joint_meeting"]').trigger("click");
    await wrapper.find('[data-test="activity-attendees"] input').setValue("15");
    await wrapper.find('[data-test="when-yesterday"]').trigger("click");
    const start = wrapper.find('[data-test="occurred-at"]').attributes("data-when")!;
    await wrapper.find('[data-test="until-2h"]').trigger("click");
    await pressSave(wrapper);
    const draft = callsOf("record_entry")[0]?.draft as { occurred_at: string; ended_at: string };
    expect(Date.parse(draft.ended_at) - Date.parse(draft.occurred_at)).toBe(2 * 3_600_000);
    expect(draft.occurred_at.startsWith(start.replace(" ", "T"))).toBe(true);
    wrapper.unmount();
  });

  it("an end later than now is refused on its field; 不填 clears it", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(ActivityScreen, "/activity");
    geo.fail();
    await wrapper.find('[data-test="activity-type-drill"]').trigger("click");
    await wrapper.find('[data-test="activity-attendees"] input').setValue("12");
    await wrapper.find('[data-test="until-1h"]').trigger("click");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="ended-at"]').text()).toContain("结束时间不能晚于现在");
    expect(callsOf("record_entry")).toHaveLength(0);
    await wrapper.find('[data-test="until-none"]').trigger("click");
    await pressSave(wrapper);
    expect(callsOf("record_entry")[0]?.draft).not.toHaveProperty("ended_at");
    wrapper.unmount();
  });

  it("an edit shows the stored end and keeps it to the second", async () => {
    const meeting = { ...saved, ended_at: "2024-03-06T17:30:15+08:00" };
    mockFormCommands(meeting, { get_entry: meeting, edit_entry: meeting });
    const { wrapper } = await mountAt(ActivityScreen, "/activity/a1/edit", { id: "a1" });
    expect(wrapper.find('[data-test="ended-at"]').attributes("data-when")).toBe("2024-03-06 17:30");
    await wrapper.find('[data-test="activity-attendees"] input').setValue("16");
    await pressSave(wrapper);
    expect(callsOf("edit_entry")[0]).toMatchObject({ draft: { ended_at: "2024-03-06T17:30:15+08:00" } });
    wrapper.unmount();
  });
});
