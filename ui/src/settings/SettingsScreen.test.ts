import { afterAll, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import SettingsScreen from "./SettingsScreen.vue";
import { baseSettings, baseStatus, callsOf, mockCommands, mountAt, unlockedScreen } from "../test/tauri";
import { currentLocale, setLocale } from "../i18n";
import { lockState, refreshLockScreen } from "../lock/lockState";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));

async function commands(extra: Record<string, unknown> = {}, screen: typeof unlockedScreen = unlockedScreen) {
  let settings = { ...baseSettings };
  let members = screen.members;
  let unlocked: typeof screen.unlocked | undefined = screen.unlocked;
  mockCommands({
    get_settings: () => settings,
    lock_screen: () => ({ ...screen, members, unlocked }),
    lock: () => {
      unlocked = undefined;
      return null;
    },
    set_idle_lock: null,
    reset_member_pin: (args: Record<string, unknown>) => {
      members = members.map((m) => (m.name === args.name ? { ...m, has_pin: false } : m));
      return members.find((m) => m.name === args.name);
    },
    sync_status: baseStatus,
    set_roster: (args: Record<string, unknown>) => {
      const names = args.names as string[];
      settings = { ...settings, roster: names };
      members = names.map((name) => members.find((m) => m.name === name) ?? { name, leader: false, has_pin: false, blocked_seconds: 0 });
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
  await refreshLockScreen();
}

describe("Settings", () => {
  it("enrols with the address as typed, completed, and the code", async () => {
    await commands();
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
    await commands({ enroll_device: () => Promise.reject({ kind: "refused", message: "登记码无效或已过期，请向县边防办重新索取" }) });
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

  it("shows the member unlocked, sets the idle lock and locks on 锁定", async () => {
    await commands();
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    expect(wrapper.find('[data-test="settings-current-member"]').text()).toBe("当前使用人：李国华（负责人）");
    expect(wrapper.find('[data-test="settings-idle-5"]').attributes("aria-pressed")).toBe("true");
    await wrapper.find('[data-test="settings-idle-1"]').trigger("click");
    await flushPromises();
    expect(callsOf("set_idle_lock")).toEqual([{ minutes: 1 }]);
    expect(wrapper.find('[data-test="settings-idle-1"]').attributes("aria-pressed")).toBe("true");
    expect(wrapper.find('[data-test="settings-idle-1"]').text()).toBe("1 分钟");
    await wrapper.find('[data-test="settings-lock"]').trigger("click");
    await flushPromises();
    expect(callsOf("lock")).toHaveLength(1);
    expect(lockState.member).toBeNull();
    wrapper.unmount();
  });

  it("lets the leader edit the roster and reset a member's PIN once confirmed", async () => {
    await commands();
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    await wrapper.find('[data-test="settings-roster-name"] input').setValue("赵六");
    await wrapper.find('[data-test="settings-roster-add"]').trigger("click");
    await flushPromises();
    expect(callsOf("set_roster")).toEqual([{ names: ["李国华", "王明", "张三", "赵六"] }]);
    expect(wrapper.findAll('[data-test="settings-roster-row"]')).toHaveLength(4);
    // A PIN to reset only for a member who has one, never the leader's own.
    expect(wrapper.find('[data-test="settings-reset-pin-李国华"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="settings-reset-pin-张三"]').exists()).toBe(false);
    await wrapper.find('[data-test="settings-reset-pin-王明"]').trigger("click");
    await flushPromises();
    expect(document.body.textContent).toContain("重置“王明”的 PIN？");
    expect(callsOf("reset_member_pin")).toHaveLength(0);
    (document.body.querySelector(".van-dialog__confirm") as HTMLElement).click();
    await vi.waitFor(() => expect(callsOf("reset_member_pin")).toEqual([{ name: "王明" }]));
    await flushPromises();
    expect(wrapper.find('[data-test="settings-reset-pin-王明"]').exists()).toBe(false);
    const rows = wrapper.findAll('[data-test="settings-roster-row"]').map((row) => row.text());
    expect(rows[1]).toContain("待设置 PIN");
    wrapper.unmount();
  });

  it("shows a member who is not the leader the roster but nothing to change it", async () => {
    await commands({}, { ...unlockedScreen, unlocked: { name: "王明", leader: false } });
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    expect(wrapper.find('[data-test="settings-leader-only"]').text()).toBe("只有负责人可以修改名单和重置 PIN");
    expect(wrapper.findAll('[data-test="settings-roster-row"]')).toHaveLength(3);
    expect(wrapper.find('[data-test="settings-roster-name"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="settings-roster-remove"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="settings-reset-pin-张三"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("switches to English at once and keeps the choice in the store", async () => {
    await commands();
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    await wrapper.find('[data-test="settings-language-en-US"]').trigger("click");
    await vi.waitFor(() => expect(callsOf("set_language")).toEqual([{ language: "en" }]));
    expect(currentLocale()).toBe("en-US");
    expect(wrapper.find('[data-test="settings-enroll"]').text()).toBe("Enrol this phone");
    setLocale("zh-CN");
    wrapper.unmount();
  });
});
