import { describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import OutreachScreen from "./OutreachScreen.vue";
import { callsOf, mountAt } from "../test/tauri";
import { formScreenSetup, mockFormCommands, pressSave, storedEntry } from "../forms/formScreenTesting";
import { serializeDraft } from "../forms/drafts";
import { outreachDefaults } from "./outreachForm";
import { localDate } from "../lib/time";
import { setLocale } from "../i18n";

const geo = formScreenSetup();

const saved = storedEntry({
  id: "o1",
  kind: "outreach",
  occurred_at: "2024-03-05T10:00:00+08:00",
  author: "李国华",
  body: { village: "田蓬村", topic: "禁毒", audience: 120, description: "" },
});

async function fill(wrapper: Awaited<ReturnType<typeof mountAt>>["wrapper"], audience: string) {
  await wrapper.find('[data-test="outreach-village"] input').setValue("田蓬村");
  await wrapper.find('[data-test="outreach-topic"] input').setValue("禁毒");
  await wrapper.find('[data-test="outreach-audience"] input').setValue(audience);
}

describe("Outreach", () => {
  it("asks for the audience on the numeric keypad", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(OutreachScreen, "/outreach");
    const audience = wrapper.find('[data-test="outreach-audience"] input');
    expect(audience.attributes("inputmode")).toBe("numeric");
    wrapper.unmount();
  });

  it("shows each missing field's Chinese message on it and saves nothing", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(OutreachScreen, "/outreach");
    geo.fail();
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="outreach-village"]').text()).toContain("请填写宣传村寨");
    expect(wrapper.find('[data-test="outreach-topic"]').text()).toContain("请填写宣传主题");
    expect(wrapper.find('[data-test="outreach-audience"]').text()).toContain("请填写受教育人数");
    expect(callsOf("record_entry")).toHaveLength(0);
    wrapper.unmount();
  });

  it("refuses an audience of 0 on its field and calls nothing", async () => {
    mockFormCommands(saved);
    const { wrapper, router } = await mountAt(OutreachScreen, "/outreach");
    geo.fail();
    await fill(wrapper, "0");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="outreach-audience"]').text()).toContain("受教育人数应为 1 到 100000 的整数");
    expect(wrapper.find('[data-test="outreach-village"]').text()).not.toContain("请填写");
    expect(callsOf("record_entry")).toHaveLength(0);
    expect(router.currentRoute.value.path).toBe("/outreach");
    wrapper.unmount();
  });

  it.each([
    ["zh-CN", "受教育人数应为 1 到 100000 的整数", "请填写宣传村寨"],
    ["en-US", "Audience must be a whole number from 1 to 100000", "Enter the village"],
  ] as const)("in %s, says the form's own problems in that language on their fields", async (locale, audienceProblem, villageProblem) => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(OutreachScreen, "/outreach", {}, locale);
    try {
      geo.fail();
      await fill(wrapper, "0");
      await wrapper.find('[data-test="outreach-village"] input').setValue("");
      await pressSave(wrapper);
      expect(wrapper.find('[data-test="outreach-audience"]').text()).toContain(audienceProblem);
      expect(wrapper.find('[data-test="outreach-village"]').text()).toContain(villageProblem);
      expect(callsOf("record_entry")).toHaveLength(0);
    } finally {
      wrapper.unmount();
      setLocale("zh-CN");
    }
  });

  it("leads to the first problem on Save, and the problem goes as soon as the field is fixed", async () => {
    mockFormCommands(saved);
    const scrolled: string[] = [];
    const scrollIntoView = vi.fn(function (this: HTMLElement) {
      scrolled.push(this.getAttribute("data-test") ?? this.className);
    });
    Object.defineProperty(HTMLElement.prototype, "scrollIntoView", { value: scrollIntoView, configurable: true });
    try {
      const { wrapper } = await mountAt(OutreachScreen, "/outreach");
      geo.fail();
      await fill(wrapper, "0");
      await pressSave(wrapper);
      expect(scrolled).toEqual(["outreach-audience"]);
      expect(wrapper.find('[data-test="form-fix-hint"]').text()).toBe("请按提示修改后再保存");
      expect(document.activeElement).toBe(wrapper.find('[data-test="outreach-audience"] input').element);
      await wrapper.find('[data-test="outreach-audience"] input').setValue("120");
      await flushPromises();
      expect(wrapper.find('[data-test="outreach-audience"]').text()).not.toContain("受教育人数应为");
      expect(wrapper.find('[data-test="form-fix-hint"]').exists()).toBe(false);
      wrapper.unmount();
    } finally {
      delete (HTMLElement.prototype as { scrollIntoView?: unknown }).scrollIntoView;
    }
  });

  it("records village, topic, audience, notes, the GPS position and author, then clears the draft", async () => {
    mockFormCommands(saved);
    const { wrapper, router } = await mountAt(OutreachScreen, "/outreach");
    geo.fix(23.6251, 105.6312, 6);
    await flushPromises();
    await fill(wrapper, "120");
    await wrapper.find('[data-test="outreach-description"] textarea').setValue("发放宣传册200份");
    await pressSave(wrapper);
    const calls = callsOf("record_entry");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      draft: {
        kind: "outreach",
        author: "李国华",
        location: { lat: 23.6251, lon: 105.6312, accuracy_m: 6 },
        body: { village: "田蓬村", topic: "禁毒", audience: 120, description: "发放宣传册200份" },
      },
      photos: [],
    });
    expect(typeof (calls[0]!.draft as { occurred_at: unknown }).occurred_at).toBe("string");
    expect(callsOf("clear_draft")).toEqual([{ form: "outreach" }]);
    expect(router.currentRoute.value.path).toBe("/");
    wrapper.unmount();
  });

  it("records without a location when the phone has none", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(OutreachScreen, "/outreach");
    geo.fail();
    await flushPromises();
    await fill(wrapper, "35");
    await pressSave(wrapper);
    const draft = callsOf("record_entry")[0]!.draft as Record<string, unknown>;
    expect(draft.location).toBeUndefined();
    wrapper.unmount();
  });

  it("puts the store's problem under its field", async () => {
    mockFormCommands(saved, {
      record_entry: () =>
        Promise.reject({
          kind: "invalid",
          message: "应为 1 到 100000 的整数",
          problems: [{ field: "body.audience", message: "应为 1 到 100000 的整数" }],
        }),
    });
    const { wrapper } = await mountAt(OutreachScreen, "/outreach");
    geo.fail();
    await fill(wrapper, "12");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="outreach-audience"]').text()).toContain("应为 1 到 100000 的整数");
    wrapper.unmount();
  });

  it("restores a half-filled form and keeps changes as its own draft", async () => {
    mockFormCommands(saved, { load_draft: serializeDraft("outreach", { ...outreachDefaults(), village: "者偏村" }) });
    const { wrapper } = await mountAt(OutreachScreen, "/outreach");
    expect(wrapper.text()).toContain("已恢复上次未完成的填写");
    expect((wrapper.find('[data-test="outreach-village"] input').element as HTMLInputElement).value).toBe("者偏村");
    vi.useFakeTimers();
    try {
      await wrapper.find('[data-test="outreach-topic"] input').setValue("护边");
      vi.advanceTimersByTime(1000);
    } finally {
      vi.useRealTimers();
    }
    const saves = callsOf("save_draft");
    expect(saves.map((s) => s.form)).toEqual(["outreach"]);
    expect(JSON.parse(saves[0]!.json as string).values).toMatchObject({ village: "者偏村", topic: "护边" });
    wrapper.unmount();
  });

  it("edits a stored session with edit_entry, keeping its time", async () => {
    mockFormCommands(saved, { get_entry: saved, edit_entry: saved });
    const { wrapper, router } = await mountAt(OutreachScreen, "/outreach/o1/edit", { id: "o1" });
    expect((wrapper.find('[data-test="outreach-audience"] input').element as HTMLInputElement).value).toBe("120");
    await wrapper.find('[data-test="outreach-audience"] input').setValue("150");
    await pressSave(wrapper);
    expect(callsOf("edit_entry")[0]).toMatchObject({
      id: "o1",
      draft: { occurred_at: "2024-03-05T10:00:00+08:00", author: "李国华", body: { audience: 150 } },
    });
    expect(callsOf("record_entry")).toHaveLength(0);
    expect(router.currentRoute.value.path).toBe("/entry/o1");
    wrapper.unmount();
  });

  it("written up the next day: 昨天 puts it on yesterday at the time chosen", async () => {
    mockFormCommands(saved);
    const { wrapper } = await mountAt(OutreachScreen, "/outreach");
    expect(wrapper.find('[data-test="occurred-at-field"] input').element).toHaveProperty("value", "现在（保存时的时间）");
    await wrapper.find('[data-test="when-yesterday"]').trigger("click");
    const yesterday = new Date();
    yesterday.setDate(yesterday.getDate() - 1);
    const day = localDate(yesterday);
    expect(wrapper.find('[data-test="occurred-at"]').attributes("data-when")).toMatch(new RegExp(`^${day} \\d\\d:\\d\\d$`));
    await fill(wrapper, "40");
    await pressSave(wrapper);
    const [call] = callsOf("record_entry");
    expect(String((call?.draft as { occurred_at: string }).occurred_at)).toMatch(new RegExp(`^${day}T\\d\\d:\\d\\d:00[+-]`));
    wrapper.unmount();
  });

  it("refuses a time later than now on its field and saves nothing", async () => {
    mockFormCommands(saved, { load_draft: serializeDraft("outreach", { ...outreachDefaults(), when: "2099-01-01 10:00" }) });
    const { wrapper } = await mountAt(OutreachScreen, "/outreach");
    await fill(wrapper, "40");
    await pressSave(wrapper);
    expect(wrapper.find('[data-test="occurred-at"]').text()).toContain("发生时间不能晚于现在");
    expect(callsOf("record_entry")).toHaveLength(0);
    await wrapper.find('[data-test="when-now"]').trigger("click");
    await pressSave(wrapper);
    expect(callsOf("record_entry")).toHaveLength(1);
    wrapper.unmount();
  });

  it("an edit may move the session to another day", async () => {
    mockFormCommands(saved, { get_entry: saved, edit_entry: saved });
    const { wrapper } = await mountAt(OutreachScreen, "/outreach/o1/edit", { id: "o1" });
    expect(wrapper.find('[data-test="occurred-at"]').attributes("data-when")).toBe("2024-03-05 10:00");
    await wrapper.find('[data-test="when-yesterday"]').trigger("click");
    await pressSave(wrapper);
    const yesterday = new Date();
    yesterday.setDate(yesterday.getDate() - 1);
    expect(String((callsOf("edit_entry")[0]?.draft as { occurred_at: string }).occurred_at)).toMatch(
      new RegExp(`^${localDate(yesterday)}T10:00:00[+-]`),
    );
    wrapper.unmount();
  });

  it("a date and time can be picked (the picker opens at the time already chosen)", async () => {
    mockFormCommands(saved, { get_entry: saved, edit_entry: saved });
    const { wrapper } = await mountAt(OutreachScreen, "/outreach/o1/edit", { id: "o1" });
    await wrapper.find('[data-test="when-pick"]').trigger("click");
    await flushPromises();
    const confirm = document.querySelector(".van-picker-group .van-picker__confirm") as HTMLElement | null;
    expect(confirm).not.toBeNull();
    confirm!.click();
    await flushPromises();
    expect(wrapper.find('[data-test="occurred-at"]').attributes("data-when")).toBe("2024-03-05 10:00");
    wrapper.unmount();
  });
});
