import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import SyncScreen from "./SyncScreen.vue";
import { baseStatus, callsOf, fastProgress, mockCommands, mountAt, slowProgress } from "../test/tauri";
import { applyProgress, applyStatus, syncState } from "./syncState";
import { setLocale } from "../i18n";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));
beforeEach(() => {
  syncState.status = null;
  syncState.progress = null;
});

const enrolment = { server_url: "http://127.0.0.1:9", post_id: "p", post_name: "某联防所" };

describe("Sync", () => {
  it("lists the records the county rejected with the reason, and opens the entry's edit form", async () => {
    mockCommands({
      sync_status: {
        ...baseStatus,
        enrolment,
        rejected: [{ seq: 4, entry_id: "r1", title: "修复 · 铁网", problems: [{ field: "body.quantity", message_zh: "数量太大，一次最多 100000" }] }],
      },
      get_entry: { id: "r1", kind: "repair" },
    });
    const { wrapper, router } = await mountAt(SyncScreen, "/sync");
    const rejected = wrapper.find('[data-test="sync-rejected"]');
    expect(rejected.text()).toContain("修复 · 铁网");
    expect(rejected.text()).toContain("数量太大，一次最多 100000");
    await wrapper.find('[data-test="sync-rejected-fix"]').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/repair/r1/edit");
    wrapper.unmount();
  });

  it("says what went wrong last time and what to do", async () => {
    mockCommands({
      sync_status: { ...baseStatus, enrolment, pending_records: 2, last_error: "连不上县里的服务器（没有信号或服务器未开）" },
    });
    const { wrapper } = await mountAt(SyncScreen, "/sync");
    const error = wrapper.find('[data-test="sync-last-error"]');
    expect(error.text()).toContain("连不上县里的服务器");
    expect(error.text()).toContain("有信号时会自动重试");
    expect(wrapper.find('[data-test="sync-pending"]').text()).toContain("2");
    expect(wrapper.find('[data-test="sync-last-success"]').text()).toContain("从未同步");
    wrapper.unmount();
  });

  it("says when the server cannot be reached now, even before a sync failed", async () => {
    mockCommands({ sync_status: { ...baseStatus, enrolment, online: false, pending_records: 1 } });
    const { wrapper } = await mountAt(SyncScreen, "/sync");
    expect(wrapper.find('[data-test="sync-offline"]').text()).toContain("现在连不上县里服务器");
    expect(wrapper.find('[data-test="sync-offline"]').text()).toContain("有信号时会自动同步");
    wrapper.unmount();
  });

  it("syncs now on the button and shows a failure in plain words", async () => {
    mockCommands({
      sync_status: { ...baseStatus, enrolment },
      sync_now: () => Promise.reject({ kind: "refused", message: "本机的登记已被县里撤销" }),
    });
    const { wrapper } = await mountAt(SyncScreen, "/sync");
    await wrapper.find('[data-test="sync-now"]').trigger("click");
    await flushPromises();
    expect(callsOf("sync_now")).toHaveLength(1);
    expect(wrapper.find('[data-test="sync-error"]').text()).toContain("本机的登记已被县里撤销");
    expect(wrapper.find('[data-test="sync-error"]').text()).toContain("联系县边防办");
    wrapper.unmount();
  });

  it("shows a progress bar while syncing, records then photo bytes", async () => {
    mockCommands({ sync_status: { ...baseStatus, enrolment, syncing: true } });
    const { wrapper } = await mountAt(SyncScreen, "/sync");
    applyStatus({ ...baseStatus, enrolment, syncing: true });
    applyProgress({ ...fastProgress, phase: "records", records_done: 3, records_total: 10, bytes_done: 0, bytes_total: 0 });
    await flushPromises();
    expect(wrapper.find('[data-test="sync-progress"]').text()).toContain("上传记录 3/10");
    expect(wrapper.find(".van-progress__portion").attributes("style")).toContain("30%");
    applyProgress({ ...fastProgress, phase: "photos", records_done: 10, records_total: 10, bytes_done: 2048, bytes_total: 4096 });
    await flushPromises();
    expect(wrapper.find('[data-test="sync-progress"]').text()).toContain("上传照片 2.0 KB/4.0 KB");
    expect(wrapper.find('[data-test="sync-slow"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("shows a slow link as a sync going on, with what was sent, the time left, speed and cuts", async () => {
    // the last sync gave up; this one goes slowly over 2G
    const slowSyncing = { ...baseStatus, enrolment, syncing: true, pending_records: 180, last_error: "连不上县里的服务器（没有信号或服务器未开）" };
    mockCommands({ sync_status: slowSyncing });
    const { wrapper } = await mountAt(SyncScreen, "/sync");
    applyStatus(slowSyncing);
    applyProgress(slowProgress);
    await flushPromises();
    const slow = wrapper.find('[data-test="sync-slow"]');
    expect(wrapper.find('[data-test="sync-slow-headline"]').text()).toBe("网络较慢 · 已发送 1.2 / 3.4 MB · 约 5 分钟");
    expect(wrapper.find('[data-test="sync-slow-speed"]').text()).toBe("速度约 7.8 KB/秒");
    expect(wrapper.find('[data-test="sync-slow-retries"]').text()).toBe("信号中断 3 次，已自动续传");
    expect(slow.text()).toContain("这不是故障");
    expect(wrapper.find(".van-progress__portion").attributes("style")).toContain("35%");
    expect(wrapper.find(".van-progress__portion").attributes("style")).toContain("rgb(11, 92, 59)");
    // nothing reads as a failure while it goes on
    expect(wrapper.find(".form-error").exists()).toBe(false);
    expect(wrapper.text()).not.toContain("失败");

    applyProgress({ ...slowProgress, upload_bytes_per_second: null, seconds_remaining: null, retries: 0 });
    await flushPromises();
    expect(wrapper.find('[data-test="sync-slow-headline"]').text()).toBe("网络较慢 · 已发送 1.2 / 3.4 MB");
    expect(wrapper.find('[data-test="sync-slow-speed"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="sync-slow-retries"]').exists()).toBe(false);
    expect(wrapper.text()).not.toMatch(/NaN|null|undefined/);
    wrapper.unmount();
  });

  it("says the slow link in English", async () => {
    const slowSyncing = { ...baseStatus, enrolment, syncing: true };
    mockCommands({ sync_status: { ...slowSyncing, progress: slowProgress } });
    const { wrapper } = await mountAt(SyncScreen, "/sync");
    setLocale("en-US");
    await flushPromises();
    expect(wrapper.find('[data-test="sync-slow-headline"]').text()).toBe("Slow link · sent 1.2 / 3.4 MB · about 5 min left");
    expect(wrapper.find('[data-test="sync-slow-speed"]').text()).toBe("about 7.8 KB/s");
    expect(wrapper.find('[data-test="sync-slow-retries"]').text()).toBe("Signal lost 3 times, resumed by itself");
    wrapper.unmount();
    setLocale("zh-CN");
  });

  it("sends an unenrolled phone to Settings", async () => {
    mockCommands({ sync_status: baseStatus });
    const { wrapper } = await mountAt(SyncScreen, "/sync");
    expect(wrapper.find('[data-test="sync-not-enrolled"]').text()).toContain("还没有登记");
    wrapper.unmount();
  });
});
