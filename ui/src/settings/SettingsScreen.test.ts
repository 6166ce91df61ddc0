import { afterAll, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import SettingsScreen from "./SettingsScreen.vue";
import { baseSettings, baseStatus, callsOf, mockCommands, mountAt } from "../test/tauri";
import { currentLocale, setLocale } from "../i18n";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));

function commands(extra: Record<string, unknown> = {}) {
  let settings = { ...baseSettings };
  mockCommands({
    get_settings: () => settings,
    sync_status: baseStatus,
    set_roster: (args: Record<string, unknown>) => {
      settings = { ...settings, roster: args.names as string[] };
      return null;
    },
    set_current_member: (args: Record<string, unknown>) => {
      settings = { ...settings, current_member: args.name as string };
      return null;
    },
    set_language: null,
    set_allow_insecure_http: (args: Record<string, unknown>) => {
      settings = { ...settings, allow_insecure_http: args.allow as boolean } as typeof settings;
      return null;
    },
    enroll_device: () => {
      settings = { ...settings, enrolled: true, post_name: "某联防所" } as typeof settings;
      return { post_name: "某联防所" };
    },
    ...extra,
  });
}

describe("Settings", () => {
  it("enrols with the address as typed, completed, and the code", async () => {
    commands();
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    await wrapper.find('[data-test="settings-server-url"] input').setValue("127.0.0.1:8080/");
    await wrapper.find('[data-test="settings-code"] input').setValue(" K7QX-2M4P ");
    await wrapper.find('[data-test="settings-enroll"]').trigger("click");
    await flushPromises();
    expect(callsOf("enroll_device")).toEqual([{ serverUrl: "http://127.0.0.1:8080", code: "K7QX-2M4P" }]);
    expect(wrapper.find('[data-test="settings-enrolled"]').text()).toContain("某联防所");
    wrapper.unmount();
  });

  it("turns plain http on only when asked, with a warning, and says where the key is kept", async () => {
    commands({ get_settings: () => ({ ...baseSettings, allow_insecure_http: false, store_key_in_file: true }) });
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    expect(wrapper.find('[data-test="settings-insecure-warning"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="settings-key-in-file"]').text()).toContain("密钥保存在本机文件中");
    commands();
    await wrapper.find('[data-test="settings-insecure-http"]').trigger("click");
    await flushPromises();
    expect(callsOf("set_allow_insecure_http")).toEqual([{ allow: true }]);
    expect(wrapper.find('[data-test="settings-insecure-warning"]').text()).toContain("明文");
    wrapper.unmount();
  });

  it("asks for what is missing and shows the server's refusal", async () => {
    commands({ enroll_device: () => Promise.reject({ kind: "refused", message: "登记码无效或已过期，请向县边防办重新索取" }) });
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    await wrapper.find('[data-test="settings-enroll"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-test="settings-code"]').text()).toContain("请填写登记码");
    expect(callsOf("enroll_device")).toHaveLength(0);
    await wrapper.find('[data-test="settings-server-url"] input').setValue("127.0.0.1:1");
    await wrapper.find('[data-test="settings-code"] input').setValue("BAD");
    await wrapper.find('[data-test="settings-enroll"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-test="form-error"]').text()).toContain("登记码无效或已过期");
    wrapper.unmount();
  });

  it("chooses who uses the phone from the roster and edits the roster", async () => {
    commands();
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    await wrapper.find('[data-test="settings-member-王明"]').trigger("click");
    await flushPromises();
    expect(callsOf("set_current_member")).toEqual([{ name: "王明" }]);
    expect(wrapper.find('[data-test="settings-member-王明"]').attributes("aria-pressed")).toBe("true");

    await wrapper.find('[data-test="settings-roster-name"] input').setValue("赵六");
    await wrapper.find('[data-test="settings-roster-add"]').trigger("click");
    await flushPromises();
    expect(callsOf("set_roster")).toEqual([{ names: ["李国华", "王明", "张三", "赵六"] }]);
    expect(wrapper.findAll('[data-test="settings-roster-row"]')).toHaveLength(4);
    wrapper.unmount();
  });

  it("switches to English at once and keeps the choice in the store", async () => {
    commands();
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    await wrapper.find('[data-test="settings-language-en-US"]').trigger("click");
    await vi.waitFor(() => expect(callsOf("set_language")).toEqual([{ language: "en" }]));
    expect(currentLocale()).toBe("en-US");
    expect(wrapper.find('[data-test="settings-enroll"]').text()).toBe("Enrol this phone");
    setLocale("zh-CN");
    wrapper.unmount();
  });
});
