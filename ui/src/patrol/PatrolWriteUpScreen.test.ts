import { describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import PatrolWriteUpScreen from "./PatrolWriteUpScreen.vue";
import { callsOf, mountAt } from "../test/tauri";
import { formScreenSetup, mockFormCommands, pressSave, storedEntry } from "../forms/formScreenTesting";
import { localDate } from "../lib/time";
import { patrolWriteUpDefaults } from "./patrolWriteUpForm";
import { serializeDraft } from "../forms/drafts";

const geo = formScreenSetup();

const saved = storedEntry({ id: "p9", kind: "patrol", occurred_at: "2024-03-05T08:00:00+08:00", body: {} });

/** Yesterday at `hh:mm`, as a form's wall time. */
function yesterdayAt(clock: string): string {
  const day = new Date();
  day.setDate(day.getDate() - 1);
  return `${localDate(day)} ${clock}`;
}

describe("补记巡逻 (a patrol written up afterwards)", () => {
  it("asks for the start, the end and the distance, on their fields, and saves nothing", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(PatrolWriteUpScreen, "/patrol/write-up");
    expect(wrapper.find('[data-test="when-now"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="until-none"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="patrol-findings"]').exists()).toBe(false);
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="occurred-at"]').text()).toContain("请选择巡逻开始时间");
    expect(wrapper.find('[data-test="ended-at"]').text()).toContain("请选择巡逻结束时间");
    expect(wrapper.find('[data-test="write-up-distance"]').text()).toContain("请填写巡逻里程（公里）");
    expect(callsOf("record_entry")).toHaveLength(0);
    wrapper.unmount();
  });

  it("records an ended patrol with its times, distance, members and findings, and no GPS fix of now", async () => {
    mockFormCommands(saved);
    const { wrapper, router } = await mountAt(PatrolWriteUpScreen, "/patrol/write-up");
    geo.fix(23.6251, 105.6312, 9);
    await flushPromises();
    await wrapper.find('[data-test="when-yesterday"]').trigger("click");
    const start = wrapper.find('[data-test="occurred-at"]').attributes("data-when")!;
    await wrapper.find('[data-test="until-4h"]').trigger("click");
    const end = wrapper.find('[data-test="ended-at"]').attributes("data-when")!;
    expect(new Date(end.replace(" ", "T")).getTime() - new Date(start.replace(" ", "T")).getTime()).toBe(4 * 3_600_000);
    await wrapper.find('[data-test="write-up-distance"] input').setValue("12.5");
    await wrapper.find('[data-test="patrol-member-王明"]').trigger("click");
    await wrapper.find('[data-test="patrolWriteUp-description"] textarea').setValue("界碑125附近铁网完好");
    await pressSave(wrapper);
    const [call] = callsOf("record_entry");
    const draft = call?.draft as Record<string, unknown>;
    expect(draft).toMatchObject({
      kind: "patrol",
      body: { joint: false, members: ["王明"], distance_km: 12.5, findings: "界碑125附近铁网完好" },
    });
    expect(String(draft.occurred_at)).toMatch(new RegExp(`^${start.replace(" ", "T")}:00[+-]`));
    expect(String(draft.ended_at)).toMatch(new RegExp(`^${end.replace(" ", "T")}:00[+-]`));
    expect(draft.location).toBeUndefined();
    expect(router.currentRoute.value.path).toBe("/");
    wrapper.unmount();
  });

  it("refuses an end before the start on its field, and saves once it is after", async () => {
    const draft = { ...patrolWriteUpDefaults(), when: yesterdayAt("10:00"), until: yesterdayAt("09:00"), distanceKm: "3" };
    mockFormCommands(saved, { load_draft: serializeDraft("patrolWriteUp", draft) });
    const { wrapper } = await mountAt(PatrolWriteUpScreen, "/patrol/write-up");
    geo.fail();
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="ended-at"]').text()).toContain("结束时间早于开始时间");
    expect(callsOf("record_entry")).toHaveLength(0);
    await wrapper.find('[data-test="until-2h"]').trigger("click");
    expect(wrapper.find('[data-test="ended-at"]').attributes("data-when")).toBe(yesterdayAt("12:00"));
    expect(wrapper.find('[data-test="ended-at"]').text()).not.toContain("结束时间早于开始时间");
    await pressSave(wrapper);
    expect(callsOf("record_entry")).toHaveLength(1);
    wrapper.unmount();
  });
});
