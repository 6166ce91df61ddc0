// The one sync state of the app: the last `sync_status` and `sync-progress`, kept up to date
// by the background task's events. Every screen's chip reads it.
import { reactive } from "vue";
import { listenSync, syncStatus } from "../tauri/commands";
import type { SyncProgress, SyncStatus } from "../tauri/types";
import { noteEntryChange } from "../app/changes";

export const syncState = reactive<{ status: SyncStatus | null; progress: SyncProgress | null }>({
  status: null,
  progress: null,
});

/** While a sync runs, the status is read again this often in case an event was missed. */
export const SYNCING_POLL_MS = 4_000;

// Every status applied gets a number; a `sync_status` answer computed before a newer event
// arrived must not overwrite what that event said (seen: a stale "syncing" kept the chip at
// 同步中 after the sync had ended).
let applied = 0;
let pollTimer: ReturnType<typeof setTimeout> | null = null;

export function applyStatus(status: SyncStatus): void {
  applied += 1;
  // A sync that succeeded changes what the log's rows say (sent, refused, pulled entries).
  const before = syncState.status;
  if (before && status.last_sync_at && status.last_sync_at !== before.last_sync_at) noteEntryChange();
  syncState.status = status;
  if (!status.syncing) syncState.progress = null;
  else if (status.progress) syncState.progress = status.progress;
  schedulePoll();
}

export function applyProgress(progress: SyncProgress): void {
  syncState.progress = progress;
}

function schedulePoll(): void {
  if (pollTimer !== null) clearTimeout(pollTimer);
  pollTimer = null;
  if (!syncState.status?.syncing) return;
  pollTimer = setTimeout(() => {
    pollTimer = null;
    void refreshSyncStatus();
  }, SYNCING_POLL_MS);
}

export async function refreshSyncStatus(): Promise<void> {
  const before = applied;
  try {
    const status = await syncStatus();
    // An event arrived meanwhile: it is at least as new as this answer.
    if (applied !== before) return;
    applyStatus(status);
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
  if (pollTimer !== null) clearTimeout(pollTimer);
  pollTimer = null;
}
