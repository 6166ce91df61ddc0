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

const KB = 1024;
const MB = 1024 * 1024;

/** A count the link reports, or null when it is absent, not a number or negative. */
export function measured(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Whole KB, at least 1 for anything above nothing (a 300-byte record is "1 KB", not "0 KB"). */
function wholeKb(bytes: number): number {
  return bytes > 0 ? Math.max(1, Math.round(bytes / KB)) : 0;
}

/** Whole KB under 1 MB, MB with one decimal above: "900 KB", "1.2 MB", "12.5 MB". */
export function formatSize(bytes: number): string {
  const b = measured(bytes) ?? 0;
  const kb = wholeKb(b);
  return kb < 1024 ? `${kb} KB` : `${(b / MB).toFixed(1)} MB`;
}

/**
 * Sent of total in the total's unit: "1.2 / 3.4 MB", "300 / 900 KB"; `compact` drops the
 * spaces around the slash ("1.2/3.4 MB") for the chip.
 */
export function formatSizeOf(done: number, total: number, compact = false): string {
  const t = measured(total) ?? 0;
  const d = Math.min(measured(done) ?? 0, t);
  const slash = compact ? "/" : " / ";
  return wholeKb(t) >= 1024
    ? `${(d / MB).toFixed(1)}${slash}${(t / MB).toFixed(1)} MB`
    : `${wholeKb(d)}${slash}${wholeKb(t)} KB`;
}

/** An upload rate per second, without the "/s": "0.5 KB", "7.8 KB", "120 KB", "1.5 MB". */
export function formatRate(bytesPerSecond: number): string {
  const b = measured(bytesPerSecond) ?? 0;
  if (b >= MB) return `${(b / MB).toFixed(1)} MB`;
  const kb = b / KB;
  return kb < 100 ? `${kb.toFixed(1)} KB` : `${Math.round(kb)} KB`;
}

/** Kilometres with at most three decimals, as the patrol body's distance_km. */
export function metresToKm(metres: number): number {
  return Math.round((Number.isFinite(metres) && metres > 0 ? metres : 0)) / 1000;
}
