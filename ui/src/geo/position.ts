// The device's position. On a phone inside the app, the Tauri geolocation plugin (registered
// by the shell on Android/iOS only; it asks for the permission); elsewhere, or if the plugin
// fails, `navigator.geolocation` where the webview has it. On a desktop without a location
// service the member is told there is none — a position is never made up.
import * as geoPlugin from "@tauri-apps/plugin-geolocation";
import type { Location } from "../tauri/types";

export interface Fix extends Location {
  /** ms since the epoch */
  at: number;
}

export function geolocationAvailable(): boolean {
  return typeof navigator !== "undefined" && !!navigator.geolocation;
}

/** A position as the browser and the plugin both give it. */
export interface RawPosition {
  timestamp: number;
  coords: { latitude: number; longitude: number; accuracy: number; altitude: number | null };
}

/** True inside the Tauri app on a phone, where the shell registers the geolocation plugin. */
export function onPhoneApp(): boolean {
  return (
    typeof window !== "undefined" &&
    "__TAURI_INTERNALS__" in window &&
    typeof navigator !== "undefined" &&
    /Android|iPhone|iPad|iPod/i.test(navigator.userAgent)
  );
}

/** A usable fix from a browser position, or null for (0, 0) and out-of-range values. */
export function toFix(position: RawPosition): Fix | null {
  const { latitude, longitude, accuracy, altitude } = position.coords;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  if (latitude === 0 && longitude === 0) return null;
  const fix: Fix = { lat: latitude, lon: longitude, at: position.timestamp || Date.now() };
  if (Number.isFinite(accuracy) && accuracy >= 0) fix.accuracy_m = Math.round(accuracy * 10) / 10;
  if (altitude !== null && Number.isFinite(altitude)) fix.altitude_m = Math.round(altitude * 10) / 10;
  return fix;
}

/**
 * Watches the position; `onFix` for each usable fix, `onUnavailable` once when there is no
 * location (no API, refused, or an error). Returns the function that stops watching.
 */
export function watchPosition(onFix: (fix: Fix) => void, onUnavailable: (reason: string) => void): () => void {
  return onPhoneApp() ? watchWithPlugin(onFix, onUnavailable) : watchWithNavigator(onFix, onUnavailable);
}

function watchWithPlugin(onFix: (fix: Fix) => void, onUnavailable: (reason: string) => void): () => void {
  let stopped = false;
  let id: number | null = null;
  let fallback: (() => void) | null = null;
  void (async () => {
    try {
      let permission = await geoPlugin.checkPermissions();
      if (permission.location !== "granted") permission = await geoPlugin.requestPermissions(["location"]);
      if (stopped) return;
      if (permission.location !== "granted") {
        onUnavailable("location permission refused");
        return;
      }
      id = await geoPlugin.watchPosition({ enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 }, (position, error) => {
        if (stopped) return;
        const fix = position ? toFix(position) : null;
        if (fix) onFix(fix);
        else if (error) onUnavailable(error);
      });
      if (stopped) void geoPlugin.clearWatch(id).catch(() => {});
    } catch {
      if (!stopped) fallback = watchWithNavigator(onFix, onUnavailable);
    }
  })();
  return () => {
    stopped = true;
    if (id !== null) void geoPlugin.clearWatch(id).catch(() => {});
    fallback?.();
  };
}

function watchWithNavigator(onFix: (fix: Fix) => void, onUnavailable: (reason: string) => void): () => void {
  if (!geolocationAvailable()) {
    onUnavailable("no geolocation");
    return () => {};
  }
  // The object watched is the one cleared, even if the page's geolocation is replaced since.
  const geolocation = navigator.geolocation;
  let id: number | null = null;
  try {
    id = geolocation.watchPosition(
      (position) => {
        const fix = toFix(position);
        if (fix) onFix(fix);
      },
      (error) => onUnavailable(error.message || String(error.code)),
      { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
    );
  } catch (error) {
    onUnavailable(String(error));
  }
  return () => {
    if (id !== null) geolocation.clearWatch(id);
  };
}

/** One fix, or null when there is none within `timeoutMs`. */
export function currentPosition(timeoutMs = 15_000): Promise<Fix | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (fix: Fix | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stop();
      resolve(fix);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const stop = watchPosition(
      (fix) => finish(fix),
      () => finish(null),
    );
  });
}
