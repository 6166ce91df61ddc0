// What the sync screen says about progress, a slow link and failures. Pure: the screen
// translates the keys; unit-tested in syncChip.test.ts.
import type { SyncProgress } from "../tauri/types";
import { formatRate, formatSizeOf, measured } from "../lib/format";

/** One translatable piece of text. */
export interface Phrase {
  /** i18n key */
  key: string;
  params: Record<string, string | number>;
}

/** The i18n key of advice for a failed sync: by the error's kind, else guessed from its text. */
export function adviceKey(kindOrMessage: string | null | undefined): string {
  const text = (kindOrMessage ?? "").toLowerCase();
  if (text === "unreachable" || /连不上|无法连接|unreachable|timed out|connect/.test(text)) return "sync.advice.unreachable";
  if (text === "refused" || /拒绝|登记|refused|unauthori[sz]ed|forbidden/.test(text)) return "sync.advice.refused";
  if (text === "protocol" || /无法识别|protocol/.test(text)) return "sync.advice.protocol";
  return "sync.advice.generic";
}

/** The line under the progress bar: records n/m, then photo bytes. */
export function phaseLine(progress: SyncProgress | null | undefined): { key: string; done: number; total: number } | null {
  if (!progress) return null;
  if (progress.phase === "pull") return { key: "sync.phasePull", done: 0, total: 0 };
  return progress.phase === "photos"
    ? { key: "sync.phasePhotos", done: progress.bytes_done, total: progress.bytes_total }
    : { key: "sync.phaseRecords", done: progress.records_done, total: progress.records_total };
}

/** True while the running sync is on a link measured slow. */
export function isSlowLink(progress: SyncProgress | null | undefined): progress is SyncProgress {
  return progress?.slow_link === true;
}

/** Bytes sent so far and the whole (sent + still to send) this sync puts on the link. */
export function sentOfTotal(progress: SyncProgress): { sent: number; total: number } {
  const sent = measured(progress.bytes_sent) ?? 0;
  return { sent, total: sent + (measured(progress.bytes_remaining) ?? 0) };
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The time left, calm and rounded: "约 30 秒" (tens of seconds under 50 s), "约 5 分钟",
 * "约 1 小时 20 分钟", "超过 1 天". Null when it is not known.
 */
export function etaPhrase(seconds: number | null | undefined): Phrase | null {
  const s = measured(seconds);
  if (s === null) return null;
  if (s < 50) return { key: "sync.slow.etaSeconds", params: { n: Math.max(10, Math.ceil(s / 10) * 10) } };
  if (s >= DAY) return { key: "sync.slow.etaDay", params: {} };
  const minutes = Math.max(1, Math.round(s / MINUTE));
  if (minutes < 60) return { key: "sync.slow.etaMinutes", params: { n: minutes } };
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? { key: "sync.slow.etaHours", params: { h } } : { key: "sync.slow.etaHoursMinutes", params: { h, m } };
}

/** What the sync screen shows of a slow link; null on a fast one (today's texts stay). */
export interface SlowLinkView {
  /** "网络较慢 · 已发送 1.2 / 3.4 MB · 约 5 分钟": translate each, join with " · " */
  headline: Phrase[];
  /** "速度约 7.8 KB/秒", once measured */
  speed: Phrase | null;
  /** "信号中断 3 次，已自动续传", once the link cut */
  retries: Phrase | null;
  /** 0–100 of the bytes this sync puts on the link; null before any are known */
  percent: number | null;
}

export function slowLinkView(progress: SyncProgress | null | undefined): SlowLinkView | null {
  if (!isSlowLink(progress)) return null;
  const { sent, total } = sentOfTotal(progress);
  const headline: Phrase[] = [{ key: "sync.slow.title", params: {} }];
  if (total > 0) headline.push({ key: "sync.slow.sent", params: { sizes: formatSizeOf(sent, total) } });
  const eta = etaPhrase(progress.seconds_remaining);
  if (eta) headline.push(eta);
  const rate = measured(progress.upload_bytes_per_second);
  const retries = measured(progress.retries) ?? 0;
  return {
    headline,
    speed: rate !== null && rate > 0 ? { key: "sync.slow.speed", params: { rate: formatRate(rate) } } : null,
    retries: retries > 0 ? { key: "sync.slow.retries", params: { n: retries } } : null,
    percent: total > 0 ? Math.max(0, Math.min(100, Math.floor((sent / total) * 100))) : null,
  };
}
