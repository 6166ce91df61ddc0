// What the sync chip on every screen says, from the last sync status and progress. Pure:
// the chip component translates the key; unit-tested in syncChip.test.ts.
import type { SyncProgress, SyncStatus } from "../tauri/types";
import { shortClock } from "../lib/time";
import { formatSizeOf } from "../lib/format";
import { isSlowLink, sentOfTotal } from "./syncView";

export type ChipTone = "syncing" | "pending" | "offline" | "synced" | "rejected" | "idle";

export interface ChipModel {
  tone: ChipTone;
  /** i18n key under `chip.` */
  key: string;
  params: Record<string, string | number>;
}

/** Entries still to send: `pending_entries` when the shell gives it, else outbox records. */
export function pendingCount(status: SyncStatus): number {
  return typeof status.pending_entries === "number" ? status.pending_entries : status.pending_records;
}

/** 0–100: records first, then photo bytes, each its own phase. Null when unknown (pull). */
export function progressPercent(progress: SyncProgress | null | undefined): number | null {
  if (!progress || progress.phase === "pull") return null;
  const [done, total] =
    progress.phase === "photos"
      ? [progress.bytes_done, progress.bytes_total]
      : [progress.records_done, progress.records_total];
  if (!Number.isFinite(total) || total <= 0) return null;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/**
 * A slow link is a sync going on, in the calm colour of syncing: "网络较慢 · 1.2/3.4 MB".
 * The time left and the speed do not fit a 360 px bar; the sync screen shows them.
 */
function slowChip(progress: SyncProgress): ChipModel {
  const { sent, total } = sentOfTotal(progress);
  return total > 0
    ? { tone: "syncing", key: "chip.slow", params: { sizes: formatSizeOf(sent, total, true) } }
    : { tone: "syncing", key: "chip.slowStarting", params: {} };
}

export function chipModel(
  status: SyncStatus | null,
  progress: SyncProgress | null = null,
  now: Date = new Date(),
): ChipModel {
  if (!status) return { tone: "idle", key: "chip.unknown", params: {} };
  if (status.syncing) {
    const current = progress ?? status.progress;
    if (isSlowLink(current)) return slowChip(current);
    const percent = progressPercent(current);
    return percent === null
      ? { tone: "syncing", key: "chip.syncing", params: {} }
      : { tone: "syncing", key: "chip.syncingPercent", params: { percent } };
  }
  const rejected = status.rejected?.length ?? 0;
  if (rejected > 0) return { tone: "rejected", key: "chip.rejected", params: { n: rejected } };
  const offline = status.online === false;
  const pending = pendingCount(status);
  if (pending > 0) {
    return offline
      ? { tone: "offline", key: "chip.offlinePending", params: { n: pending } }
      : { tone: "pending", key: "chip.pending", params: { n: pending } };
  }
  if (offline) return { tone: "offline", key: "chip.offline", params: {} };
  if (status.pending_photo_bytes > 0) return { tone: "pending", key: "chip.photosPending", params: {} };
  if (status.last_sync_at) {
    return { tone: "synced", key: "chip.synced", params: { time: shortClock(status.last_sync_at, now) } };
  }
  if (!status.enrolment) return { tone: "idle", key: "chip.notEnrolled", params: {} };
  return { tone: "idle", key: "chip.neverSynced", params: {} };
}
