// Helpers over the mocked @tauri-apps/api (see setup.ts).
import { vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { createMemoryHistory } from "vue-router";
import { flushPromises, mount } from "@vue/test-utils";
import Vant from "vant";
import type { Component } from "vue";
import { i18n, setLocale, type AppLocale } from "../i18n";
import { createAppRouter } from "../router";
import type { Settings, SyncProgress, SyncStatus } from "../tauri/types";

export type Handler = (args: Record<string, unknown>) => unknown;

export const invokeMock = vi.mocked(invoke);
export const listenMock = vi.mocked(listen);
const listeners = new Map<string, (event: { payload: unknown }) => void>();

/** Answers each command with its handler; a command without one fails as the shell would. */
export function mockCommands(handlers: Record<string, Handler | unknown>): void {
  invokeMock.mockReset();
  invokeMock.mockImplementation(async (command: string, args?: unknown) => {
    if (!(command in handlers)) throw { kind: "not_found", message: `no mock for ${command}` };
    const handler = handlers[command];
    return typeof handler === "function" ? (handler as Handler)((args ?? {}) as Record<string, unknown>) : handler;
  });
  listeners.clear();
  listenMock.mockReset();
  listenMock.mockImplementation(async (event: string, callback: unknown) => {
    listeners.set(event, callback as (event: { payload: unknown }) => void);
    return () => listeners.delete(event);
  });
}

export function emitEvent(event: string, payload: unknown): void {
  listeners.get(event)?.({ payload });
}

/** The arguments of every call of `command`. */
export function callsOf(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, a]) => (a ?? {}) as Record<string, unknown>);
}

export const baseStatus: SyncStatus = {
  device_id: "dev-1",
  enrolment: null,
  pending_records: 0,
  pending_photo_bytes: 0,
  rejected: [],
  returned_entries: 0,
  last_sync_at: null,
  last_error: null,
  clock_offset_ms: null,
  clock_flagged: false,
  wiped: null,
  syncing: false,
  online: null,
};

/** A sync on a good link: measured at 2 MB/s, one request retried, nothing slow. */
export const fastProgress: SyncProgress = {
  phase: "records",
  records_done: 0,
  records_total: 0,
  bytes_done: 0,
  bytes_total: 0,
  bytes_sent: 120_000,
  bytes_remaining: 900_000,
  upload_bytes_per_second: 2_000_000,
  seconds_remaining: 1,
  slow_link: false,
  retries: 1,
};

/**
 * A month's backlog over 2G: 1.2 MB of 3.4 MB sent at 7.8 KB/s, about 5 minutes left, after
 * three cuts.
 */
export const slowProgress: SyncProgress = {
  phase: "records",
  records_done: 120,
  records_total: 300,
  bytes_done: 0,
  bytes_total: 0,
  bytes_sent: Math.round(1.2 * 1024 * 1024),
  bytes_remaining: Math.round(2.2 * 1024 * 1024),
  upload_bytes_per_second: Math.round(7.8 * 1024),
  seconds_remaining: 296,
  slow_link: true,
  retries: 3,
};

export const baseSettings: Settings = {
  device_id: "dev-1",
  enrolled: false,
  roster: ["李国华", "王明", "张三"],
  current_member: "李国华",
  language: "zh-CN",
  idle_lock_minutes: 5,
  allow_insecure_http: false,
  store_key_in_file: false,
  display: { text_size: "standard", text_scale: 1, high_contrast: false },
};

/** The lock screen's answer with the post leader 李国华 unlocked (a window reloaded while unlocked). */
export const unlockedScreen = {
  members: [
    { name: "李国华", leader: true, has_pin: true, blocked_seconds: 0 },
    { name: "王明", leader: false, has_pin: true, blocked_seconds: 0 },
    { name: "张三", leader: false, has_pin: false, blocked_seconds: 0 },
  ],
  unlocked: { name: "李国华", leader: true },
  idle_lock_minutes: 5,
};

/**
 * Mounts a component at `path` inside a memory router with i18n and Vant, in `locale` (the
 * language the member chose in Settings; Chinese unless told).
 */
export async function mountAt(component: Component, path: string, props: Record<string, unknown> = {}, locale: AppLocale = "zh-CN") {
  setLocale(locale);
  const router = createAppRouter(createMemoryHistory());
  await router.push(path);
  await router.isReady();
  const wrapper = mount(component, {
    props,
    attachTo: document.body,
    global: { plugins: [i18n, Vant, router] },
  });
  await flushPromises();
  return { wrapper, router };
}

/** A fake navigator.geolocation whose watchers the test feeds. */
export function fakeGeolocation() {
  const watchers = new Map<number, { ok: PositionCallback; fail?: PositionErrorCallback | null }>();
  let next = 1;
  const geolocation = {
    watchPosition: vi.fn((ok: PositionCallback, fail?: PositionErrorCallback | null) => {
      const id = next++;
      watchers.set(id, { ok, fail });
      return id;
    }),
    clearWatch: vi.fn((id: number) => watchers.delete(id)),
    getCurrentPosition: vi.fn(),
  };
  Object.defineProperty(navigator, "geolocation", { value: geolocation, configurable: true });
  return {
    geolocation,
    fix(lat: number, lon: number, accuracy = 8, at = Date.now()) {
      for (const { ok } of [...watchers.values()]) {
        ok({
          coords: { latitude: lat, longitude: lon, accuracy, altitude: null, altitudeAccuracy: null, heading: null, speed: null },
          timestamp: at,
        } as unknown as GeolocationPosition);
      }
    },
    fail() {
      for (const { fail } of [...watchers.values()]) fail?.({ code: 2, message: "no location" } as GeolocationPositionError);
    },
    remove() {
      Object.defineProperty(navigator, "geolocation", { value: undefined, configurable: true });
    },
  };
}
