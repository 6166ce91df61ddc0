import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import * as scanner from "@tauri-apps/plugin-barcode-scanner";
import SettingsScreen from "./SettingsScreen.vue";
import { baseSettings, baseStatus, callsOf, mockCommands, mountAt, unlockedScreen } from "../test/tauri";
import { refreshLockScreen } from "../lock/lockState";
import { enrolLinkIntake } from "./enrolLinkIntake";

vi.mock("@tauri-apps/plugin-barcode-scanner", () => ({
  Format: { QRCode: "QR_CODE" },
  checkPermissions: vi.fn(),
  requestPermissions: vi.fn(),
  scan: vi.fn(),
}));
const plugin = vi.mocked(scanner);
const desktopAgent = navigator.userAgent;

afterAll(() => new Promise((resolve) => setTimeout(resolve, 500)));

function asPhoneApp(): void {
  Object.defineProperty(navigator, "userAgent", { value: "Mozilla/5.0 (Linux; Android 12) wv", configurable: true });
  (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
}

const DASHBOARD_QR = "patrollog://enrol?server=https%3A%2F%2Fpatrol.funing.example%3A8443&code=K7QF-3MZP-8WXD";

beforeEach(async () => {
  vi.clearAllMocks();
  enrolLinkIntake.pending = null;
  mockCommands({
    get_settings: { ...baseSettings, enrolled: false, post_name: null },
    lock_screen: unlockedScreen,
    sync_status: baseStatus,
    enroll_device: { post_name: "田蓬联防所" },
  });
  await refreshLockScreen();
});
afterEach(() => {
  Object.defineProperty(navigator, "userAgent", { value: desktopAgent, configurable: true });
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
});

async function settingsOnPhone() {
  asPhoneApp();
  const { wrapper } = await mountAt(SettingsScreen, "/settings");
  await flushPromises();
  return wrapper;
}

describe("scanning the enrolment QR code", () => {
  it("is not offered on a desktop, where the link is pasted", async () => {
    const { wrapper } = await mountAt(SettingsScreen, "/settings");
    expect(wrapper.find('[data-test="settings-scan-qr"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("fills the address and code from the dashboard's QR code for the member to check; nothing is sent", async () => {
    plugin.checkPermissions.mockResolvedValue("prompt");
    plugin.requestPermissions.mockResolvedValue("granted");
    plugin.scan.mockResolvedValue({ content: `${DASHBOARD_QR}\n`, format: scanner.Format.QRCode, bounds: null });
    const wrapper = await settingsOnPhone();
    await wrapper.find('[data-test="settings-scan-qr"]').trigger("click");
    await flushPromises();
    expect(plugin.requestPermissions).toHaveBeenCalledTimes(1);
    expect(plugin.scan).toHaveBeenCalledWith({ cameraDirection: "back", formats: ["QR_CODE"], windowed: false });
    expect((wrapper.find('[data-test="settings-server-url"] input').element as HTMLInputElement).value).toBe(
      "https://patrol.funing.example:8443",
    );
    expect((wrapper.find('[data-test="settings-code"] input').element as HTMLInputElement).value).toBe("K7QF-3MZP-8WXD");
    expect(wrapper.find('[data-test="settings-from-link-address"]').text()).toBe("https://patrol.funing.example:8443");
    expect(callsOf("enroll_device")).toEqual([]);
    wrapper.unmount();
  });

  it("says so when the code is not an enrolment QR code, and leaves the fields as they were", async () => {
    plugin.checkPermissions.mockResolvedValue("granted");
    plugin.scan.mockResolvedValue({ content: "https://weixin.qq.com/g/abc", format: scanner.Format.QRCode, bounds: null });
    const wrapper = await settingsOnPhone();
    await wrapper.find('[data-test="settings-server-url"] input').setValue("patrol.funing.example");
    await wrapper.find('[data-test="settings-scan-qr"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-test="form-error"]').text()).toContain("这不是登记二维码");
    expect((wrapper.find('[data-test="settings-server-url"] input').element as HTMLInputElement).value).toBe("patrol.funing.example");
    expect(plugin.requestPermissions).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it("tells the member how to allow the camera when it is refused, and does not open it", async () => {
    plugin.checkPermissions.mockResolvedValue("denied");
    plugin.requestPermissions.mockResolvedValue("denied");
    const wrapper = await settingsOnPhone();
    await wrapper.find('[data-test="settings-scan-qr"]').trigger("click");
    await flushPromises();
    expect(plugin.scan).not.toHaveBeenCalled();
    expect(wrapper.find('[data-test="form-error"]').text()).toContain("没有相机权限");
    wrapper.unmount();
  });

  it("says nothing when the member backs out of the camera", async () => {
    plugin.checkPermissions.mockResolvedValue("granted");
    plugin.scan.mockRejectedValue("Scan cancelled by the user");
    const wrapper = await settingsOnPhone();
    await wrapper.find('[data-test="settings-scan-qr"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-test="form-error"]').exists()).toBe(false);
    plugin.scan.mockRejectedValue(new Error("camera unavailable"));
    await wrapper.find('[data-test="settings-scan-qr"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-test="form-error"]').text()).toContain("无法打开相机");
    wrapper.unmount();
  });
});
