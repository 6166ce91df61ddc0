// The one sync state of the app: the last `sync_status` and `sync-progress`, kept up to date
// by the background task's events. Every screen's chip reads it.
import { reactive } from "vue";
import { listenSync, syncStatus } from "../tauri/commands";
import type { SyncProgress, SyncStatus } from "../tauri/types";

export const syncState = reactive<{ status: SyncStatus | null; progress: SyncProgress | null }>({
  status: null,
  progress: null,
});

export function applyStatus(status: SyncStatus): void {
  syncState.status = status;
  if (!status.syncing) syncState.progress = null;
  else if (status.progress) syncState.progress = status.progress;
}

export function applyProgress(progress: SyncProgress): void {
  syncState.progress = progress;
}

export async function refreshSyncStatus(): Promise<void> {
  try {
    applyStatus(await syncStatus());
  } catch {
    // keep what is shown
  }
}

let stop: (() => void) | null = null;

/** Subscribes once (idempotent) and reads the current status. */
export async function startSyncState(): Promise<void> {
  if (!stop) {
    try {
      stop = await listenSync(applyStatus, applyProgress);
    } catch {
      stop = null;
    }
  }
  await refreshSyncStatus();
}

export function stopSyncState(): void {
  stop?.();
  stop = null;
}
