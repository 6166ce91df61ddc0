import { describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import IncidentScreen from "./IncidentScreen.vue";
import { callsOf, mountAt } from "../test/tauri";
import { formScreenSetup, mockFormCommands, pressSave, storedEntry } from "../forms/formScreenTesting";

const geo = formScreenSetup();

const saved = storedEntry({
  id: "i1",
  kind: "incident",
  occurred_at: "2024-03-04T21:30:00+08:00",
  body: { crime_type: "smuggling", persons: 3, handed_to: "田蓬边境派出所", description: "" },
});

describe("Incident", () => {
  it("shows the Chinese messages on the crime type and persons and saves nothing", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(IncidentScreen, "/incident");
    geo.fail();
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="error-crime_type"]').text()).toBe("请选择案件类型");
    expect(wrapper.find('[data-test="incident-persons"]').text()).toContain("请填写涉案人数");
    await wrapper.find('[data-test="incident-crime-type-drugs"]').trigger("click");
    await wrapper.find('[data-test="incident-persons"] input').setValue("1001");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="error-crime_type"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="incident-persons"]').text()).toContain("涉案人数应为 0 到 1000 的整数");
    expect(callsOf("record_entry")).toHaveLength(0);
    wrapper.unmount();
  });

  it("records the crime type, persons (0 when only goods were found) and whom it went to", async () => {
    mockFormCommands(saved);
    const { wrapper, router } = await mountAt(IncidentScreen, "/incident");
    geo.fail();
    await flushPromises();
    expect(wrapper.find('[data-test="incident-persons"] input').attributes("inputmode")).toBe("numeric");
    await wrapper.find('[data-test="incident-crime-type-smuggling"]').trigger("click");
    await wrapper.find('[data-test="incident-persons"] input').setValue("0");
    await wrapper.find('[data-test="incident-handed-to"] input').setValue("田蓬边境派出所");
    await wrapper.find('[data-test="incident-description"] textarea').setValue("查获走私冻品一车");
    await pressSave(wrapper);
    expect(callsOf("record_entry")).toEqual([
      {
        draft: expect.objectContaining({
          kind: "incident",
          author: "李国华",
          body: { crime_type: "smuggling", persons: 0, handed_to: "田蓬边境派出所", description: "查获走私冻品一车" },
        }),
        photos: [],
      },
    ]);
    expect(callsOf("clear_draft")).toEqual([{ form: "incident" }]);
    expect(router.currentRoute.value.path).toBe("/");
    wrapper.unmount();
  });

  it("edits a stored incident", async () => {
    mockFormCommands(saved, { get_entry: saved, edit_entry: saved });
    const { wrapper, router } = await mountAt(IncidentScreen, "/incident/i1/edit", { id: "i1" });
    expect(wrapper.find('[data-test="incident-crime-type-smuggling"]').attributes("aria-pressed")).toBe("true");
    await wrapper.find('[data-test="incident-handed-to"] input').setValue("富宁县公安局");
    await pressSave(wrapper);
    expect(callsOf("edit_entry")[0]).toMatchObject({
      id: "i1",
      draft: { occurred_at: "2024-03-04T21:30:00+08:00", body: { crime_type: "smuggling", persons: 3, handed_to: "富宁县公安局" } },
    });
    expect(router.currentRoute.value.path).toBe("/entry/i1");
    wrapper.unmount();
  });
});
