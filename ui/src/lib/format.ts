// How durations, distances and byte counts read on a small screen.

/** "05:09" under an hour, "1:05:09" above; negative or invalid input reads "00:00". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

export type UiLanguage = "zh-CN" | "en-US";

/** "850 米" / "1.25 公里" (zh) or "850 m" / "1.25 km" (en). */
export function formatDistance(metres: number, language: UiLanguage = "zh-CN"): string {
  const m = Number.isFinite(metres) && metres > 0 ? metres : 0;
  const zh = language === "zh-CN";
  if (m < 1000) return `${Math.round(m)} ${zh ? "米" : "m"}`;
  const km = m / 1000;
  const text = km < 10 ? km.toFixed(2) : km.toFixed(1);
  return `${text} ${zh ? "公里" : "km"}`;
}

/** "512 B", "3.4 KB", "12.0 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Kilometres with at most three decimals, as the patrol body's distance_km. */
export function metresToKm(metres: number): number {
  return Math.round((Number.isFinite(metres) && metres > 0 ? metres : 0)) / 1000;
}
