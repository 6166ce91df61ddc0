import { describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import RepairScreen from "./RepairScreen.vue";
import { callsOf, mountAt } from "../test/tauri";
import { formScreenSetup, mockFormCommands, pressSave, storedEntry } from "../forms/formScreenTesting";

const geo = formScreenSetup(null);

const hazards = [
  { id: "h-near", title: "铁网/围栏 · 高 · 冲毁30米", occurred_at: "2024-03-02T09:00:00+08:00", category: "fence", distance_m: 120, direction: "ne" },
  { id: "h-far", title: "塌方 · 中", occurred_at: "2024-03-01T09:00:00+08:00", category: "landslide", distance_m: 5400 },
];

function commands(extra: Record<string, unknown> = {}) {
  mockFormCommands(
    { id: "r1" },
    { open_hazards: (args: Record<string, unknown>) => (args.near ? hazards : [...hazards].reverse()), ...extra },
  );
}

describe("Repair", () => {
  it("lists open hazards nearest first once the position is known, and closes the one chosen", async () => {
    commands();
    const { wrapper } = await mountAt(RepairScreen, "/repair");
    expect(callsOf("open_hazards")[0]).toEqual({ limit: 50 });
    geo.fix(23.6251, 105.6312);
    await flushPromises();
    expect(callsOf("open_hazards").slice(-1)[0]).toEqual({ near: { lat: 23.6251, lon: 105.6312 }, limit: 50 });
    const options = wrapper.findAll('[data-test="repair-hazard-option"]');
    expect(options.map((o) => o.attributes("data-hazard-id"))).toEqual(["h-near", "h-far"]);
    expect(options[0]!.text()).toContain("东北 约 120 米");
    expect(options[1]!.text()).toContain("约 5.40 公里");

    await wrapper.find('[data-test="repair-category-fence"]').trigger("click");
    await flushPromises();
    // fence is measured in metres by default
    expect(wrapper.find('[data-test="repair-unit-m"]').attributes("aria-pressed")).toBe("true");
    await wrapper.find('[data-test="repair-quantity"] input').setValue("30");
    await options[0]!.trigger("click");
    await pressSave(wrapper);
    expect(callsOf("record_entry")[0]).toMatchObject({
      draft: { kind: "repair", body: { category: "fence", quantity: 30, unit: "m", closes_hazard: "h-near" } },
      photos: [],
    });
    expect(callsOf("record_entry")[0]!.draft).not.toHaveProperty("author");
    wrapper.unmount();
  });

  it("refuses a quantity of 0 with the Chinese message and saves nothing", async () => {
    commands();
    const { wrapper } = await mountAt(RepairScreen, "/repair");
    await wrapper.find('[data-test="repair-category-landslide"]').trigger("click");
    await wrapper.find('[data-test="repair-quantity"] input').setValue("0");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="repair-quantity"]').text()).toContain("数量必须大于 0");
    expect(callsOf("record_entry")).toHaveLength(0);
    wrapper.unmount();
  });

  it("maps the store's problem of the hazard it closes", async () => {
    commands({
      record_entry: () =>
        Promise.reject({ kind: "invalid", message: "x", problems: [{ field: "body.closes_hazard", message: "找不到要关闭的隐患" }] }),
    });
    const { wrapper } = await mountAt(RepairScreen, "/repair");
    await wrapper.find('[data-test="repair-category-water"]').trigger("click");
    await wrapper.find('[data-test="repair-quantity"] input').setValue("1");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="error-closes_hazard"]').text()).toBe("找不到要关闭的隐患");
    wrapper.unmount();
  });

  it("edits a repair: the hazard it already closes reads as what it is, and edit_entry keeps it", async () => {
    const repair = storedEntry({
      id: "r1",
      kind: "repair",
      occurred_at: "2024-03-03T10:00:00+08:00",
      body: { category: "fence", quantity: 30, unit: "m", closes_hazard: "h-fixed", description: "" },
    });
    const fixed = { ...repair, id: "h-fixed", kind: "hazard", body: { category: "fence", severity: "high", description: "冲毁30米" } };
    commands({
      get_entry: (args: Record<string, unknown>) => (args.id === "r1" ? repair : fixed),
      open_hazards: [],
      edit_entry: repair,
    });
    const { wrapper } = await mountAt(RepairScreen, "/repair/r1/edit", { id: "r1" });
    const option = wrapper.find('[data-hazard-id="h-fixed"]');
    expect(option.text()).toBe("铁网/围栏 · 冲毁30米");
    expect(option.classes()).toContain("repair__hazard--on");
    await wrapper.find('[data-test="repair-quantity"] input').setValue("35");
    await pressSave(wrapper);
    expect(callsOf("edit_entry")[0]).toMatchObject({
      id: "r1",
      draft: { occurred_at: "2024-03-03T10:00:00+08:00", body: { quantity: 35, closes_hazard: "h-fixed" } },
    });
    wrapper.unmount();
  });

  it("a returned repair: the county's comment tops the form, and its photos are moved, added and removed", async () => {
    const repair = storedEntry({
      id: "r1",
      kind: "repair",
      occurred_at: "2024-03-03T10:00:00+08:00",
      body: { category: "fence", quantity: 30, unit: "m", description: "重新架设" },
      photos: [
        { sha256: "p-wrong-side", role: "before" },
        { sha256: "p-blurred", role: "before" },
      ],
      review: { decision: "returned", comment: "请补拍修复后的照片", reviewer: "张科长", decided_at: "2024-03-04T02:00:00Z" },
    });
    commands({
      get_entry: repair,
      open_hazards: [],
      edit_entry: repair,
      photo_thumbnail: "data:image/jpeg;base64,AA==",
      import_photo: { sha256: "p-new-after", thumbnail_data_url: "data:image/jpeg;base64,AA==" },
    });
    const { wrapper } = await mountAt(RepairScreen, "/repair/r1/edit", { id: "r1" });
    expect(wrapper.find('[data-test="form-returned"]').text()).toContain("已退回：请补拍修复后的照片");
    expect(wrapper.find('[data-test="form-returned"]').text()).toContain("张科长");

    const before = () => wrapper.find('[data-test="repair-before"]');
    const after = () => wrapper.find('[data-test="repair-after"]');
    const shas = (picker: ReturnType<typeof before>) =>
      picker.findAll('[data-test="photo-thumb"]').map((tile) => tile.attributes("data-sha"));
    expect(shas(before())).toEqual(["p-wrong-side", "p-blurred"]);
    expect(before().find('[data-test="photo-move"]').text()).toBe("改为修复后");

    await before().findAll('[data-test="photo-move"]')[0]!.trigger("click");
    await before().findAll('[data-test="photo-remove"]')[0]!.trigger("click");
    const input = after().find('[data-test="repair-after-input"]');
    const file = new File([new Uint8Array([255, 216, 255])], "after.jpg", { type: "image/jpeg" });
    Object.defineProperty(input.element, "files", { value: [file] });
    await input.trigger("change");
    await vi.waitFor(() => expect(callsOf("import_photo")).toHaveLength(1));
    await flushPromises();
    expect(shas(before())).toEqual([]);
    expect(shas(after())).toEqual(["p-wrong-side", "p-new-after"]);

    await pressSave(wrapper);
    expect(callsOf("edit_entry")[0]).toMatchObject({
      id: "r1",
      photos: [
        { sha256: "p-wrong-side", role: "after" },
        { sha256: "p-new-after", role: "after" },
      ],
    });
    wrapper.unmount();
  });

  it("an edit that leaves the photos alone sends them as they are", async () => {
    const repair = storedEntry({
      id: "r1",
      kind: "repair",
      occurred_at: "2024-03-03T10:00:00+08:00",
      body: { category: "fence", quantity: 30, unit: "m", description: "" },
      photos: [{ sha256: "p1", role: "after" }],
    });
    commands({ get_entry: repair, open_hazards: [], edit_entry: repair, photo_thumbnail: null });
    const { wrapper } = await mountAt(RepairScreen, "/repair/r1/edit", { id: "r1" });
    expect(wrapper.find('[data-test="form-returned"]').exists()).toBe(false);
    await wrapper.find('[data-test="repair-quantity"] input').setValue("31");
    await pressSave(wrapper);
    expect(callsOf("edit_entry")[0]!.photos).toEqual([{ sha256: "p1", role: "after" }]);
    wrapper.unmount();
  });
});
