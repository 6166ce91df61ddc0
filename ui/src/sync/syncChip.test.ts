import { describe, expect, it } from "vitest";
import { chipModel, progressPercent } from "./syncChip";
import { adviceKey, phaseLine } from "./syncView";
import { i18n } from "../i18n";
import { baseStatus } from "../test/tauri";

const zh = (m: ReturnType<typeof chipModel>) => i18n.global.t(m.key, m.params, { locale: "zh-CN" });
const now = new Date(2026, 10, 29, 15, 0);

describe("the sync chip", () => {
  it("counts the records still to send", () => {
    expect(zh(chipModel({ ...baseStatus, pending_records: 3 }, null, now))).toBe("3 条待同步");
  });

  it("counts entries, not outbox records, when the shell says how many entries wait", () => {
    // a patrol started and ended, a hazard and the repair that fixed it: 5 records, 3 entries
    expect(zh(chipModel({ ...baseStatus, pending_records: 5, pending_entries: 3 }, null, now))).toBe("3 条待同步");
    expect(zh(chipModel({ ...baseStatus, pending_records: 5, pending_entries: 0 }, null, now))).toBe("未登记");
  });

  it("says when it last synced, as the local clock", () => {
    const at = new Date(2026, 10, 29, 10, 42).toISOString();
    const model = chipModel({ ...baseStatus, enrolment: { server_url: "x", post_id: "p", post_name: "所" }, last_sync_at: at }, null, now);
    expect(model.tone).toBe("synced");
    expect(zh(model)).toBe("已同步 10:42");
  });

  it("says offline, with the pending count when there is one", () => {
    expect(zh(chipModel({ ...baseStatus, online: false }, null, now))).toBe("离线");
    expect(zh(chipModel({ ...baseStatus, online: false, pending_records: 2 }, null, now))).toBe("离线 · 2 条待同步");
  });

  it("shows the progress of a running sync, records then photo bytes", () => {
    const status = { ...baseStatus, syncing: true, pending_records: 9 };
    expect(zh(chipModel(status, { phase: "records", records_done: 9, records_total: 20, bytes_done: 0, bytes_total: 0 }, now))).toBe("同步中 45%");
    expect(zh(chipModel(status, { phase: "photos", records_done: 20, records_total: 20, bytes_done: 1, bytes_total: 4 }, now))).toBe("同步中 25%");
    expect(zh(chipModel(status, null, now))).toBe("同步中");
    expect(zh(chipModel(status, { phase: "pull", records_done: 20, records_total: 20, bytes_done: 0, bytes_total: 0 }, now))).toBe("同步中");
  });

  it("puts rejected records before everything but a running sync", () => {
    const rejected = [{ seq: 1, entry_id: "e", title: "t", problems: [] }];
    expect(zh(chipModel({ ...baseStatus, pending_records: 4, rejected }, null, now))).toBe("1 条被退回");
  });

  it("tells an unenrolled phone with nothing pending apart from one never synced", () => {
    expect(zh(chipModel(baseStatus, null, now))).toBe("未登记");
    expect(zh(chipModel({ ...baseStatus, enrolment: { server_url: "x", post_id: "p", post_name: "所" } }, null, now))).toBe("未同步");
    expect(chipModel(null).key).toBe("chip.unknown");
  });

  it("has no percent without totals and clamps odd ones", () => {
    expect(progressPercent({ phase: "records", records_done: 0, records_total: 0, bytes_done: 0, bytes_total: 0 })).toBeNull();
    expect(progressPercent({ phase: "records", records_done: 30, records_total: 20, bytes_done: 0, bytes_total: 0 })).toBe(100);
  });
});

describe("the sync screen's words", () => {
  it("advises by error kind or by the message's words", () => {
    expect(adviceKey("unreachable")).toBe("sync.advice.unreachable");
    expect(adviceKey("连不上县里的服务器（没有信号或服务器未开）")).toBe("sync.advice.unreachable");
    expect(adviceKey("refused")).toBe("sync.advice.refused");
    expect(adviceKey("protocol")).toBe("sync.advice.protocol");
    expect(adviceKey(null)).toBe("sync.advice.generic");
  });

  it("reads the phase line from progress", () => {
    expect(phaseLine(null)).toBeNull();
    expect(phaseLine({ phase: "photos", records_done: 1, records_total: 1, bytes_done: 5, bytes_total: 10 })).toEqual({
      key: "sync.phasePhotos",
      done: 5,
      total: 10,
    });
  });
});
