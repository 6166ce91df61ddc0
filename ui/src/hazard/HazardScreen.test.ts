import { describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import HazardScreen from "./HazardScreen.vue";
import { callsOf, mountAt } from "../test/tauri";
import { formScreenSetup, mockFormCommands, pressSave, storedEntry } from "../forms/formScreenTesting";
import { serializeDraft } from "../forms/drafts";
import { resetTrackRecorder, trackRecorder } from "../patrol/trackRecorder";
import { setLocale } from "../i18n";

const geo = formScreenSetup();

const saved = storedEntry({
  id: "h1",
  kind: "hazard",
  occurred_at: "2024-03-02T09:00:00+08:00",
  body: { category: "fence", severity: "high", description: "" },
  status: "open",
});

describe("Hazard", () => {
  it("shows each missing field's Chinese message and saves nothing", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(HazardScreen, "/hazard");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="error-category"]').text()).toBe("请选择隐患类别");
    expect(wrapper.find('[data-test="error-severity"]').text()).toBe("请选择严重程度");
    expect(callsOf("record_entry")).toHaveLength(0);
    wrapper.unmount();
  });

  it("says each problem in English to a member who chose English, with no Chinese left", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(HazardScreen, "/hazard", {}, "en-US");
    try {
      geo.fail();
      await flushPromises();
      await wrapper.find('[data-test="location-lat"] input').setValue("95");
      await wrapper.find('[data-test="location-lon"] input').setValue("105.6");
      await wrapper.find('[data-test="hazard-description"] textarea').setValue("铁".repeat(2001));
      await pressSave(wrapper);
      expect(wrapper.find('[data-test="error-category"]').text()).toBe("Choose the hazard's category");
      expect(wrapper.find('[data-test="error-severity"]').text()).toBe("Choose the severity");
      expect(wrapper.find('[data-test="location-lat"]').text()).toContain("Latitude must be between -90 and 90");
      expect(wrapper.find('[data-test="hazard-description"]').text()).toContain("Text too long: 2001 characters, at most 2000");
      expect(wrapper.find('[data-test="form-fix-hint"]').text()).toBe("Please correct the marked fields");
      const shown = wrapper.findAll(".field-error, .van-field__error-message").map((problem) => problem.text());
      expect(shown.length).toBeGreaterThanOrEqual(4);
      expect(shown.filter((text) => /[\u4e00-\u9fff]/.test(text))).toEqual([]);
      expect(callsOf("record_entry")).toHaveLength(0);
    } finally {
      wrapper.unmount();
      setLocale("zh-CN");
    }
  });

  it("says the same problems in Chinese by default", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(HazardScreen, "/hazard");
    geo.fail();
    await flushPromises();
    await wrapper.find('[data-test="location-lat"] input').setValue("95");
    await wrapper.find('[data-test="location-lon"] input').setValue("105.6");
    await wrapper.find('[data-test="hazard-description"] textarea').setValue("铁".repeat(2001));
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="error-category"]').text()).toBe("请选择隐患类别");
    expect(wrapper.find('[data-test="location-lat"]').text()).toContain("纬度应在 -90 到 90 之间");
    expect(wrapper.find('[data-test="hazard-description"]').text()).toContain("文字太长：2001 字，最多 2000 字");
    wrapper.unmount();
  });

  it("puts the store's problems under their fields", async () => {
    mockFormCommands(saved, {
      record_entry: () =>
        Promise.reject({
          kind: "invalid",
          message: "描述太长",
          problems: [
            { field: "body.description", message: "描述太长，最多 4000 字" },
            { field: "location.lat", message: "纬度应在 -90 到 90 之间" },
          ],
        }),
    });
    const { wrapper } = await mountAt(HazardScreen, "/hazard");
    await wrapper.find('[data-test="hazard-category-fence"]').trigger("click");
    await wrapper.find('[data-test="hazard-severity-high"]').trigger("click");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="hazard-description"]').text()).toContain("描述太长，最多 4000 字");
    expect(wrapper.find('[data-test="location-lat"]').text()).toContain("纬度应在 -90 到 90 之间");
    wrapper.unmount();
  });

  it("records category, severity, the GPS position, description and author, then clears the draft", async () => {
    mockFormCommands(saved);
    const { wrapper, router } = await mountAt(HazardScreen, "/hazard");
    geo.fix(23.6251, 105.6312, 6);
    await flushPromises();
    expect(wrapper.find('[data-test="location-status"]').text()).toContain("精度约 6 米");
    await wrapper.find('[data-test="hazard-category-fence"]').trigger("click");
    await wrapper.find('[data-test="hazard-severity-critical"]').trigger("click");
    await wrapper.find('[data-test="hazard-description"] textarea').setValue("铁网被洪水冲毁约30米");
    await pressSave(wrapper);
    const [call] = callsOf("record_entry");
    expect(call).toMatchObject({
      draft: {
        kind: "hazard",
        author: "李国华",
        location: { lat: 23.6251, lon: 105.6312, accuracy_m: 6 },
        body: { category: "fence", severity: "critical", description: "铁网被洪水冲毁约30米" },
      },
      photos: [],
    });
    expect(callsOf("clear_draft")).toEqual([{ form: "hazard" }]);
    expect(router.currentRoute.value.path).toBe("/");
    wrapper.unmount();
  });

  it("belongs to the patrol running while it is recorded, and says so", async () => {
    mockFormCommands(saved);
    trackRecorder.patrol = storedEntry({ id: "p1", kind: "patrol", occurred_at: "2024-03-02T08:00:00+08:00", body: {}, status: "running" });
    try {
      const { wrapper } = await mountAt(HazardScreen, "/hazard");
      expect(wrapper.find('[data-test="form-during-patrol"]').text()).toContain("巡逻进行中");
      await wrapper.find('[data-test="hazard-category-fence"]').trigger("click");
      await wrapper.find('[data-test="hazard-severity-high"]').trigger("click");
      await pressSave(wrapper);
      expect(callsOf("record_entry")[0]).toMatchObject({ draft: { kind: "hazard", patrol_id: "p1" } });
      wrapper.unmount();
    } finally {
      resetTrackRecorder();
    }
  });

  it("names no patrol when none is running", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(HazardScreen, "/hazard");
    expect(wrapper.find('[data-test="form-during-patrol"]').exists()).toBe(false);
    await wrapper.find('[data-test="hazard-category-fence"]').trigger("click");
    await wrapper.find('[data-test="hazard-severity-high"]').trigger("click");
    await pressSave(wrapper);
    expect(callsOf("record_entry")).toHaveLength(1);
    expect(callsOf("record_entry")[0]?.draft).not.toHaveProperty("patrol_id");
    wrapper.unmount();
  });

  it("says there is no location when the device has none, and takes typed coordinates", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(HazardScreen, "/hazard");
    geo.fail();
    await flushPromises();
    expect(wrapper.find('[data-test="location-status"]').text()).toContain("无法获取位置");
    expect((wrapper.find('[data-test="location-lat"] input').element as HTMLInputElement).value).toBe("");
    await wrapper.find('[data-test="location-lat"] input').setValue("95");
    await wrapper.find('[data-test="location-lon"] input').setValue("105.6");
    await wrapper.find('[data-test="hazard-category-road"]').trigger("click");
    await wrapper.find('[data-test="hazard-severity-low"]').trigger("click");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="location-lat"]').text()).toContain("纬度应在 -90 到 90 之间");
    expect(callsOf("record_entry")).toHaveLength(0);
    wrapper.unmount();
  });

  it("restores a half-filled form and keeps changes as a draft (debounced)", async () => {
    mockFormCommands(saved, {
      load_draft: serializeDraft("hazard", { category: "water", severity: "", description: "水源被污染", lat: "", lon: "", accuracy: "", photos: [] }),
    });
    const { wrapper } = await mountAt(HazardScreen, "/hazard");
    expect(wrapper.text()).toContain("已恢复上次未完成的填写");
    expect(wrapper.find('[data-test="hazard-category-water"]').attributes("aria-pressed")).toBe("true");
    vi.useFakeTimers();
    try {
      await wrapper.find('[data-test="hazard-severity-medium"]').trigger("click");
      expect(callsOf("save_draft")).toHaveLength(0);
      vi.advanceTimersByTime(1000);
    } finally {
      vi.useRealTimers();
    }
    const saves = callsOf("save_draft");
    expect(saves).toHaveLength(1);
    expect(saves[0]!.form).toBe("hazard");
    expect(JSON.parse(saves[0]!.json as string).values).toMatchObject({ category: "water", severity: "medium", description: "水源被污染" });
    wrapper.unmount();
  });

  it("drops the draft when the form is emptied again", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(HazardScreen, "/hazard");
    geo.fail();
    vi.useFakeTimers();
    try {
      await wrapper.find('[data-test="location-lat"] input').setValue("95");
      vi.advanceTimersByTime(1000);
      await wrapper.find('[data-test="location-lat"] input').setValue("");
      vi.advanceTimersByTime(1000);
    } finally {
      vi.useRealTimers();
    }
    expect(callsOf("save_draft")).toHaveLength(1);
    expect(callsOf("clear_draft")).toEqual([{ form: "hazard" }]);
    wrapper.unmount();
  });

  it("imports a chosen photo and sends it with the entry", async () => {
    mockFormCommands(saved, { import_photo: { sha256: "abc", thumbnail_data_url: "data:image/jpeg;base64,AA==" }, photo_thumbnail: null });
    const { wrapper } = await mountAt(HazardScreen, "/hazard");
    const input = wrapper.find('[data-test="hazard-photos-input"]');
    expect(input.attributes("accept")).toBe("image/*");
    expect(input.attributes("capture")).toBe("environment");
    const file = new File([new Uint8Array([255, 216, 255])], "a.jpg", { type: "image/jpeg" });
    Object.defineProperty(input.element, "files", { value: [file] });
    await input.trigger("change");
    await vi.waitFor(() => expect(callsOf("import_photo")).toHaveLength(1));
    await flushPromises();
    expect(callsOf("import_photo")).toEqual([{ bytesBase64: "/9j/", fileName: "a.jpg" }]);
    expect(wrapper.find('[data-test="photo-thumb"] img').attributes("src")).toBe("data:image/jpeg;base64,AA==");
    await wrapper.find('[data-test="hazard-category-fence"]').trigger("click");
    await wrapper.find('[data-test="hazard-severity-high"]').trigger("click");
    await pressSave(wrapper);
    expect(callsOf("record_entry")[0]!.photos).toEqual([{ sha256: "abc", role: "general" }]);
    wrapper.unmount();
  });

  it("edits an existing hazard with edit_entry, keeping its time", async () => {
    mockFormCommands(saved, { get_entry: { ...saved, body: { category: "fence", severity: "high", description: "旧" } }, edit_entry: saved });
    const { wrapper, router } = await mountAt(HazardScreen, "/hazard/h1/edit", { id: "h1" });
    await wrapper.find('[data-test="hazard-description"] textarea').setValue("新的描述");
    await pressSave(wrapper);
    expect(callsOf("edit_entry")[0]).toMatchObject({
      id: "h1",
      draft: { occurred_at: "2024-03-02T09:00:00+08:00", body: { description: "新的描述" } },
    });
    expect(callsOf("record_entry")).toHaveLength(0);
    expect(router.currentRoute.value.path).toBe("/entry/h1");
    wrapper.unmount();
  });
});
