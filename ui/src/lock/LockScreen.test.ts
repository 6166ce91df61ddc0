import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import App from "../App.vue";
import LockScreen from "./LockScreen.vue";
import { baseSettings, baseStatus, callsOf, mockCommands, mountAt, unlockedScreen } from "../test/tauri";
import { KEEP_UNLOCKED_EVERY_MS, lockNow, lockState, noteActivity, refreshLockScreen, unlockAs } from "./lockState";
import { homeSummary } from "../tauri/commands";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));
afterEach(() => vi.useRealTimers());

const members = unlockedScreen.members;
const lockedScreen = { members, idle_lock_minutes: 5 };
const summary = { patrols_today: 2, open_hazards: 5, repairs_this_month: 7, returned_entries: 0, running_patrol_id: null };

/** The shell's PIN rules for 王明 (1357) and 李国华 (2580); 张三 has none yet. */
function commands(screen: Record<string, unknown> = lockedScreen) {
  let unlocked: { name: string; leader: boolean } | null = null;
  const pins: Record<string, string> = { 李国华: "2580", 王明: "1357" };
  let wrong = 0;
  mockCommands({
    lock_screen: () => (unlocked ? { ...screen, unlocked } : screen),
    unlock: (args: Record<string, unknown>) => {
      if (pins[args.name as string] !== args.pin) {
        wrong += 1;
        return Promise.reject({ kind: "wrong_pin", message: `PIN 不对，还可以再试 ${5 - wrong} 次` });
      }
      unlocked = { name: args.name as string, leader: args.name === "李国华" };
      return unlocked;
    },
    set_first_pin: (args: Record<string, unknown>) => {
      unlocked = { name: args.name as string, leader: (screen.members as unknown[]).length === 0 };
      return unlocked;
    },
    lock: () => {
      unlocked = null;
      return null;
    },
    keep_unlocked: null,
    get_settings: () => ({ ...baseSettings, current_member: unlocked?.name ?? null }),
    sync_status: baseStatus,
    home_summary: () => (unlocked ? summary : Promise.reject({ kind: "locked", message: "手机已锁定，请选择使用人并输入 PIN" })),
  });
}

async function type(wrapper: Awaited<ReturnType<typeof mountAt>>["wrapper"], test: string, text: string) {
  await wrapper.find(`[data-test="${test}"]`).setValue(text);
}

describe("the lock screen", () => {
  it("asks who is using the phone, shows the shell's wrong-PIN message, and unlocks with the right PIN", async () => {
    commands();
    await refreshLockScreen();
    const { wrapper } = await mountAt(LockScreen, "/");
    expect(wrapper.find('[data-test="lock-title"]').text()).toBe("谁在使用这部手机？");
    const tiles = wrapper.findAll('[data-test^="lock-member-"]').map((tile) => tile.text());
    expect(tiles).toEqual(["李国华负责人", "王明", "张三待设置 PIN"]);
    await wrapper.find('[data-test="lock-member-王明"]').trigger("click");
    expect(wrapper.find('[data-test="lock-title"]').text()).toBe("王明，请输入 PIN");
    await type(wrapper, "lock-pin", "0000");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(wrapper.find('[data-test="lock-error"]').text()).toBe("PIN 不对，还可以再试 4 次");
    expect((wrapper.find('[data-test="lock-pin"]').element as HTMLInputElement).value).toBe("");
    expect(lockState.member).toBeNull();
    await type(wrapper, "lock-pin", "1357");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(callsOf("unlock")).toEqual([
      { name: "王明", pin: "0000" },
      { name: "王明", pin: "1357" },
    ]);
    expect(lockState.member).toEqual({ name: "王明", leader: false });
    await lockNow();
    wrapper.unmount();
  });

  it("has a member without a PIN set one, typed twice, before unlocking", async () => {
    commands();
    await refreshLockScreen();
    const { wrapper } = await mountAt(LockScreen, "/");
    await wrapper.find('[data-test="lock-member-张三"]').trigger("click");
    expect(wrapper.find('[data-test="lock-title"]').text()).toBe("张三，请设置 PIN");
    await type(wrapper, "lock-pin", "246");
    await type(wrapper, "lock-pin-again", "246");
    await wrapper.find("form").trigger("submit");
    expect(wrapper.find('[data-test="lock-error"]').text()).toBe("PIN 须为 4–8 位数字");
    await type(wrapper, "lock-pin", "2468");
    await type(wrapper, "lock-pin-again", "2469");
    await wrapper.find("form").trigger("submit");
    expect(wrapper.find('[data-test="lock-error"]').text()).toBe("两次输入的 PIN 不一样");
    expect(callsOf("set_first_pin")).toHaveLength(0);
    await type(wrapper, "lock-pin-again", "2468");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(callsOf("set_first_pin")).toEqual([{ name: "张三", pin: "2468" }]);
    expect(lockState.member?.name).toBe("张三");
    await lockNow();
    wrapper.unmount();
  });

  it("sets up the post leader on a phone with no members", async () => {
    commands({ members: [], idle_lock_minutes: 5 });
    await refreshLockScreen();
    const { wrapper } = await mountAt(LockScreen, "/");
    expect(wrapper.find('[data-test="lock-title"]').text()).toBe("第一次使用：设置负责人");
    await type(wrapper, "lock-pin", "2580");
    await type(wrapper, "lock-pin-again", "2580");
    await wrapper.find("form").trigger("submit");
    expect(wrapper.find('[data-test="lock-error"]').text()).toBe("请填写姓名");
    await type(wrapper, "lock-name", " 李国华 ");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(callsOf("set_first_pin")).toEqual([{ name: "李国华", pin: "2580" }]);
    expect(lockState.member).toEqual({ name: "李国华", leader: true });
    await lockNow();
    wrapper.unmount();
  });
});

describe("the app behind the lock", () => {
  it("shows no screen until a member unlocks, and locks again on 换人", async () => {
    commands();
    const { wrapper } = await mountAt(App, "/");
    expect(wrapper.find('[data-test="lock-screen"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="home-summary"]').exists()).toBe(false);
    expect(callsOf("home_summary")).toHaveLength(0);
    await wrapper.find('[data-test="lock-member-李国华"]').trigger("click");
    await type(wrapper, "lock-pin", "2580");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(wrapper.find('[data-test="lock-screen"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="stat-hazards"]').text()).toContain("5");
    expect(wrapper.find('[data-test="home-member"]').text()).toContain("李国华");

    await wrapper.find('[data-test="home-switch"]').trigger("click");
    await flushPromises();
    expect(callsOf("lock")).toHaveLength(1);
    expect(wrapper.find('[data-test="lock-screen"]').exists()).toBe(true);
    // The frame stays mounted (a patrol's GPS watch goes on) but shows nothing.
    const frame = wrapper.find(".app-frame");
    expect(frame.exists()).toBe(true);
    expect((frame.element as HTMLElement).style.display).toBe("none");
    wrapper.unmount();
  });

  it("shows the lock screen when the shell answers locked (its idle backstop)", async () => {
    commands({ ...lockedScreen });
    await refreshLockScreen();
    await unlockAs("李国华", "2580");
    const { wrapper } = await mountAt(App, "/");
    expect(wrapper.find('[data-test="lock-screen"]').exists()).toBe(false);
    await lockNow(); // the shell forgets; the UI learns it from the next command
    lockState.member = { name: "李国华", leader: true };
    await expect(homeSummary()).rejects.toMatchObject({ kind: "locked" });
    await flushPromises();
    expect(lockState.member).toBeNull();
    expect(wrapper.find('[data-test="lock-screen"]').exists()).toBe(true);
    wrapper.unmount();
  });
});

describe("the idle lock", () => {
  it("locks after the idle time without a touch, and a touch starts the time again", async () => {
    vi.useFakeTimers();
    commands({ ...lockedScreen, idle_lock_minutes: 1 });
    await refreshLockScreen();
    await unlockAs("王明", "1357");
    vi.advanceTimersByTime(50_000);
    noteActivity();
    vi.advanceTimersByTime(50_000);
    expect(lockState.member?.name).toBe("王明");
    expect(callsOf("lock")).toHaveLength(0);
    vi.advanceTimersByTime(11_000);
    await vi.runOnlyPendingTimersAsync();
    expect(callsOf("lock")).toHaveLength(1);
    expect(lockState.member).toBeNull();
  });

  it("renews the shell's session at most every 30 s of touches", async () => {
    vi.useFakeTimers();
    commands();
    await refreshLockScreen();
    await unlockAs("王明", "1357");
    const start = Date.now();
    noteActivity(start + 1_000);
    noteActivity(start + 20_000);
    expect(callsOf("keep_unlocked")).toHaveLength(0);
    noteActivity(start + KEEP_UNLOCKED_EVERY_MS + 1);
    noteActivity(start + KEEP_UNLOCKED_EVERY_MS + 5_000);
    expect(callsOf("keep_unlocked")).toHaveLength(1);
    await lockNow();
  });
});
