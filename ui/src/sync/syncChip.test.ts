import { describe, expect, it } from "vitest";
import { chipModel, progressPercent } from "./syncChip";
import { adviceKey, etaPhrase, phaseLine, slowLinkView, type Phrase } from "./syncView";
import { i18n } from "../i18n";
import { baseStatus, fastProgress, slowProgress } from "../test/tauri";

const zh = (m: ReturnType<typeof chipModel>) => i18n.global.t(m.key, m.params, { locale: "zh-CN" });
const en = (m: ReturnType<typeof chipModel>) => i18n.global.t(m.key, m.params, { locale: "en-US" });
const say = (phrase: Phrase | null, locale: "zh-CN" | "en-US" = "zh-CN") =>
  phrase ? i18n.global.t(phrase.key, phrase.params, { locale }) : null;
const headline = (view: ReturnType<typeof slowLinkView>, locale: "zh-CN" | "en-US" = "zh-CN") =>
  view?.headline.map((phrase) => say(phrase, locale)).join(" · ");
const MB = 1024 * 1024;
/** A slow sync whose speed and time left are not measured yet. */
const unmeasured = { ...slowProgress, bytes_sent: 0, bytes_remaining: 900 * 1024, upload_bytes_per_second: null, seconds_remaining: null, retries: 0 };
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
    expect(zh(chipModel(status, { ...fastProgress, phase: "records", records_done: 9, records_total: 20, bytes_done: 0, bytes_total: 0 }, now))).toBe("同步中 45%");
    expect(zh(chipModel(status, { ...fastProgress, phase: "photos", records_done: 20, records_total: 20, bytes_done: 1, bytes_total: 4 }, now))).toBe("同步中 25%");
    expect(zh(chipModel(status, null, now))).toBe("同步中");
    expect(zh(chipModel(status, { ...fastProgress, phase: "pull", records_done: 20, records_total: 20, bytes_done: 0, bytes_total: 0 }, now))).toBe("同步中");
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
    expect(progressPercent({ ...fastProgress, phase: "records", records_done: 0, records_total: 0, bytes_done: 0, bytes_total: 0 })).toBeNull();
    expect(progressPercent({ ...fastProgress, phase: "records", records_done: 30, records_total: 20, bytes_done: 0, bytes_total: 0 })).toBe(100);
  });
});

describe("the sync chip on a slow link", () => {
  const syncing = { ...baseStatus, syncing: true, pending_records: 180 };

  it("says the link is slow with the bytes sent of all, in the calm colour of syncing", () => {
    const model = chipModel(syncing, slowProgress, now);
    expect(model.tone).toBe("syncing");
    expect(zh(model)).toBe("网络较慢 · 1.2/3.4 MB");
    expect(en(model)).toBe("Slow link · 1.2/3.4 MB");
    expect(zh(chipModel(syncing, { ...slowProgress, bytes_sent: 300 * 1024, bytes_remaining: 600 * 1024 }, now))).toBe("网络较慢 · 300/900 KB");
  });

  it("reads the progress the status carries when no event came yet", () => {
    expect(zh(chipModel({ ...syncing, progress: slowProgress }, null, now))).toBe("网络较慢 · 1.2/3.4 MB");
  });

  it("says slow without numbers before anything is counted, never NaN", () => {
    const nothing = { ...unmeasured, bytes_remaining: 0 };
    expect(zh(chipModel(syncing, nothing, now))).toBe("网络较慢 · 同步中");
    expect(en(chipModel(syncing, nothing, now))).toBe("Slow link · syncing");
    const odd = { ...unmeasured, bytes_sent: Number.NaN, bytes_remaining: Number.NaN };
    expect(zh(chipModel(syncing, odd, now))).toBe("网络较慢 · 同步中");
    expect(zh(chipModel(syncing, unmeasured, now))).toBe("网络较慢 · 0/900 KB");
  });

  it("keeps today's texts on a fast link, retries or not", () => {
    const fast = { ...fastProgress, records_done: 9, records_total: 20 };
    expect(zh(chipModel(syncing, fast, now))).toBe("同步中 45%");
    expect(en(chipModel(syncing, fast, now))).toBe("Syncing 45%");
  });

  it("leaves the time left and the speed to the sync screen, to fit a 360 px bar", () => {
    const text = zh(chipModel(syncing, { ...slowProgress, bytes_sent: 12.5 * MB, bytes_remaining: 110 * MB }, now));
    expect(text).toBe("网络较慢 · 12.5/122.5 MB");
    expect(text).not.toMatch(/分钟|秒|KB\/秒/);
  });
});

describe("the sync screen on a slow link", () => {
  it("shows the bytes sent of all, the time left, the speed and the cuts resumed", () => {
    const view = slowLinkView(slowProgress);
    expect(headline(view)).toBe("网络较慢 · 已发送 1.2 / 3.4 MB · 约 5 分钟");
    expect(say(view?.speed ?? null)).toBe("速度约 7.8 KB/秒");
    expect(say(view?.retries ?? null)).toBe("信号中断 3 次，已自动续传");
    expect(view?.percent).toBe(35);
  });

  it("says the same in English", () => {
    const view = slowLinkView(slowProgress);
    expect(headline(view, "en-US")).toBe("Slow link · sent 1.2 / 3.4 MB · about 5 min left");
    expect(say(view?.speed ?? null, "en-US")).toBe("about 7.8 KB/s");
    expect(say(view?.retries ?? null, "en-US")).toBe("Signal lost 3 times, resumed by itself");
  });

  it("shows no time and no speed before the link is measured, never NaN", () => {
    const view = slowLinkView(unmeasured);
    expect(headline(view)).toBe("网络较慢 · 已发送 0 / 900 KB");
    expect(view?.speed).toBeNull();
    expect(view?.retries).toBeNull();
    expect(view?.percent).toBe(0);
    const odd = slowLinkView({ ...unmeasured, bytes_remaining: 0, upload_bytes_per_second: Number.NaN, seconds_remaining: Number.NaN, retries: Number.NaN });
    expect(headline(odd)).toBe("网络较慢");
    expect(odd?.speed).toBeNull();
    expect(odd?.retries).toBeNull();
    expect(odd?.percent).toBeNull();
  });

  it("keeps today's texts on a fast link", () => {
    expect(slowLinkView(fastProgress)).toBeNull();
    expect(slowLinkView(null)).toBeNull();
  });

  it("rounds the time left calmly", () => {
    expect(say(etaPhrase(3))).toBe("约 10 秒");
    expect(say(etaPhrase(31))).toBe("约 40 秒");
    expect(say(etaPhrase(50))).toBe("约 1 分钟");
    expect(say(etaPhrase(296))).toBe("约 5 分钟");
    expect(say(etaPhrase(4_800))).toBe("约 1 小时 20 分钟");
    expect(say(etaPhrase(7_200))).toBe("约 2 小时");
    expect(say(etaPhrase(90_000))).toBe("超过 1 天");
    expect(say(etaPhrase(4_800), "en-US")).toBe("about 1 h 20 min left");
    expect(etaPhrase(null)).toBeNull();
    expect(etaPhrase(-1)).toBeNull();
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
    expect(phaseLine({ ...fastProgress, phase: "photos", records_done: 1, records_total: 1, bytes_done: 5, bytes_total: 10 })).toEqual({
      key: "sync.phasePhotos",
      done: 5,
      total: 10,
    });
  });
});
