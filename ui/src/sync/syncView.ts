// What the sync screen says about progress and failures. Pure.
import type { SyncProgress } from "../tauri/types";

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
