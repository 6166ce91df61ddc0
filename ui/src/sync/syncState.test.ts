import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyStatus, refreshSyncStatus, startSyncState, stopSyncState, syncState, SYNCING_POLL_MS } from "./syncState";
import { baseStatus, callsOf, emitEvent, mockCommands } from "../test/tauri";
import { entryChanges } from "../app/changes";

beforeEach(() => {
  stopSyncState();
  syncState.status = null;
  syncState.progress = null;
});
afterEach(() => {
  stopSyncState();
  vi.useRealTimers();
});

describe("the app's sync state", () => {
  it("tells the log its rows are stale after a sync succeeded, not on every status", () => {
    applyStatus({ ...baseStatus, last_sync_at: "2024-03-02T01:00:00Z" });
    const seen = entryChanges.value;
    applyStatus({ ...baseStatus, last_sync_at: "2024-03-02T01:00:00Z", pending_records: 2 });
    expect(entryChanges.value).toBe(seen);
    applyStatus({ ...baseStatus, last_sync_at: "2024-03-02T01:05:00Z" });
    expect(entryChanges.value).toBe(seen + 1);
  });

  it("keeps an event newer than a sync_status answer that was in flight", async () => {
    const answers: ((value: unknown) => void)[] = [];
    mockCommands({ sync_status: () => new Promise((resolve) => answers.push(resolve)) });
    const starting = startSyncState();
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    answers.shift()!({ ...baseStatus });
    await starting;
    const refreshing = refreshSyncStatus();
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    const answer = answers.shift()!;
    emitEvent("sync-state", { ...baseStatus, syncing: false, last_sync_at: "2026-11-29T02:42:00Z" });
    answer({ ...baseStatus, syncing: true });
    await refreshing;
    expect(syncState.status?.syncing).toBe(false);
  });

  it("reads the status again while a sync runs, in case its end event was missed", async () => {
    vi.useFakeTimers();
    mockCommands({ sync_status: { ...baseStatus, syncing: false } });
    applyStatus({ ...baseStatus, syncing: true });
    expect(callsOf("sync_status")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(SYNCING_POLL_MS + 10);
    expect(callsOf("sync_status")).toHaveLength(1);
    expect(syncState.status?.syncing).toBe(false);
    await vi.advanceTimersByTimeAsync(SYNCING_POLL_MS * 3);
    expect(callsOf("sync_status")).toHaveLength(1);
  });
});
