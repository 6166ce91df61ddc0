// How times read on the dashboard: "3 小时前" for a last contact, "2 小时" for a wait,
// "快 1.2 秒" for a device clock, and an entry's time in the member's own wall clock.

import { formatLocalTime } from "../../../src/log/entry";

export type Language = "zh-CN" | "en-US";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** "2024-03-02 08:10" in the browser's zone, for a server time in milliseconds. */
export function formatMillisDateTime(ms: number): string {
  const at = new Date(ms);
  if (Number.isNaN(at.getTime())) return "";
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/**
 * "2024-03-02 08:10" as the member's clock read (the offset the entry keeps), not converted to
 * the office's zone: a patrol at 08:10 in Funing reads 08:10 wherever it is looked at. The field
 * app's log reads it the same way (its formatLocalTime); text that is not RFC 3339 stays as it is.
 */
export function formatEntryTime(rfc3339: string | null | undefined): string {
  return rfc3339 ? formatLocalTime(rfc3339) : "";
}

/** "刚刚", "12 分钟前", "3 小时前", "5 天前"; beyond 30 days the date; "从未" for null. */
export function formatAgo(thenMs: number | null | undefined, nowMs: number, language: Language = "zh-CN"): string {
  const zh = language === "zh-CN";
  if (thenMs === null || thenMs === undefined || !Number.isFinite(thenMs)) return zh ? "从未" : "never";
  const elapsed = nowMs - thenMs;
  if (elapsed < MINUTE) return zh ? "刚刚" : "just now";
  if (elapsed < HOUR) {
    const n = Math.floor(elapsed / MINUTE);
    return zh ? `${n} 分钟前` : `${n} min ago`;
  }
  if (elapsed < DAY) {
    const n = Math.floor(elapsed / HOUR);
    return zh ? `${n} 小时前` : `${n} h ago`;
  }
  if (elapsed < 30 * DAY) {
    const n = Math.floor(elapsed / DAY);
    return zh ? `${n} 天前` : n === 1 ? "1 day ago" : `${n} days ago`;
  }
  return formatMillisDateTime(thenMs).slice(0, 10);
}

/** A length of time, in its largest whole unit (one decimal under 10 s): "45 秒", "2 小时", "3 天". */
export function formatSpan(ms: number | null | undefined, language: Language = "zh-CN"): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const zh = language === "zh-CN";
  const size = Math.abs(ms);
  if (size < 10_000) {
    const seconds = Math.round(size / 100) / 10;
    return zh ? `${seconds} 秒` : `${seconds} s`;
  }
  if (size < MINUTE) return zh ? `${Math.round(size / 1000)} 秒` : `${Math.round(size / 1000)} s`;
  if (size < HOUR) return zh ? `${Math.floor(size / MINUTE)} 分钟` : `${Math.floor(size / MINUTE)} min`;
  if (size < DAY) return zh ? `${Math.floor(size / HOUR)} 小时` : `${Math.floor(size / HOUR)} h`;
  const days = Math.floor(size / DAY);
  return zh ? `${days} 天` : days === 1 ? "1 day" : `${days} days`;
}

/**
 * A device clock against the server's. `clock_offset_ms` is server time − device time
 * (docs/sync-protocol.md), so a negative offset is a fast device clock: "快 1.2 秒".
 */
export function formatClockOffset(offsetMs: number | null | undefined, language: Language = "zh-CN"): string {
  if (offsetMs === null || offsetMs === undefined || !Number.isFinite(offsetMs)) return "—";
  const zh = language === "zh-CN";
  if (Math.abs(offsetMs) < 500) return zh ? "准确" : "exact";
  const span = formatSpan(offsetMs, language);
  if (offsetMs < 0) return zh ? `快 ${span}` : `${span} ahead`;
  return zh ? `慢 ${span}` : `${span} behind`;
}
