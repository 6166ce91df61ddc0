import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as geoPlugin from "@tauri-apps/plugin-geolocation";
import { onPhoneApp, toFix, watchPosition } from "./position";
import { fakeGeolocation } from "../test/tauri";

vi.mock("@tauri-apps/plugin-geolocation", () => ({
  checkPermissions: vi.fn(),
  requestPermissions: vi.fn(),
  watchPosition: vi.fn(),
  clearWatch: vi.fn(async () => {}),
}));
const plugin = vi.mocked(geoPlugin);
const desktopAgent = navigator.userAgent;

function asPhoneApp(): void {
  Object.defineProperty(navigator, "userAgent", { value: "Mozilla/5.0 (Linux; Android 12) wv", configurable: true });
  (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
}

let geo: ReturnType<typeof fakeGeolocation>;
beforeEach(() => {
  geo = fakeGeolocation();
  vi.clearAllMocks();
});
afterEach(() => {
  geo.remove();
  Object.defineProperty(navigator, "userAgent", { value: desktopAgent, configurable: true });
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
});

const raw = (lat: number, lon: number) => ({
  timestamp: 1000,
  coords: { latitude: lat, longitude: lon, accuracy: 7.25, altitude: 1210.44 },
});

describe("position", () => {
  it("refuses the (0, 0) a GPS gives before its fix, and out-of-range values", () => {
    expect(toFix(raw(0, 0))).toBeNull();
    expect(toFix(raw(91, 10))).toBeNull();
    expect(toFix(raw(23.6, 105.6))).toEqual({ lat: 23.6, lon: 105.6, at: 1000, accuracy_m: 7.3, altitude_m: 1210.4 });
  });

  it("uses navigator.geolocation outside a phone app", () => {
    expect(onPhoneApp()).toBe(false);
    const fixes: unknown[] = [];
    const stop = watchPosition((f) => fixes.push(f), () => {});
    geo.fix(23.6, 105.6);
    expect(fixes).toHaveLength(1);
    stop();
    expect(geo.geolocation.clearWatch).toHaveBeenCalled();
    expect(plugin.watchPosition).not.toHaveBeenCalled();
  });

  it("says there is no location when the webview has none", () => {
    geo.remove();
    const reasons: string[] = [];
    watchPosition(() => {}, (r) => reasons.push(r));
    expect(reasons).toEqual(["no geolocation"]);
  });

  it("on a phone app asks for the permission and watches through the plugin", async () => {
    asPhoneApp();
    plugin.checkPermissions.mockResolvedValue({ location: "prompt", coarseLocation: "prompt" });
    plugin.requestPermissions.mockResolvedValue({ location: "granted", coarseLocation: "granted" });
    let feed: ((p: ReturnType<typeof raw> | null, e?: string) => void) | null = null;
    plugin.watchPosition.mockImplementation(async (_o, cb) => {
      feed = cb as typeof feed;
      return 7;
    });
    const fixes: { lat: number }[] = [];
    const stop = watchPosition((f) => fixes.push(f), () => {});
    await vi.waitFor(() => expect(feed).not.toBeNull());
    feed!(raw(23.61, 105.6));
    expect(fixes.map((f) => f.lat)).toEqual([23.61]);
    expect(plugin.requestPermissions).toHaveBeenCalledWith(["location"]);
    stop();
    expect(plugin.clearWatch).toHaveBeenCalledWith(7);
  });

  it("on a phone app without the permission says so; with a failing plugin falls back to the webview", async () => {
    asPhoneApp();
    plugin.checkPermissions.mockResolvedValue({ location: "denied", coarseLocation: "denied" });
    plugin.requestPermissions.mockResolvedValue({ location: "denied", coarseLocation: "denied" });
    const reasons: string[] = [];
    watchPosition(() => {}, (r) => reasons.push(r));
    await vi.waitFor(() => expect(reasons).toEqual(["location permission refused"]));

    plugin.checkPermissions.mockRejectedValue(new Error("plugin geolocation not found"));
    const fixes: unknown[] = [];
    watchPosition((f) => fixes.push(f), () => {});
    await vi.waitFor(() => expect(geo.geolocation.watchPosition).toHaveBeenCalled());
    geo.fix(23.6, 105.6);
    expect(fixes).toHaveLength(1);
  });
});
