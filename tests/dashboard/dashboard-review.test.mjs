// Reviewing at scale in a real browser against a real county-server and a real device (the
// `patrol` CLI): the list filtered to one member's high hazards, all of them ticked and approved
// at once (the device pulls exactly those as approved, the others still pending); "通过并下一条"
// by keyboard through a filtered list; a return with a reason from the list reaching the device
// with that comment and showing under 退回未改; the filtered list exported as CSV with exactly
// its rows. Screenshots go to test-artifacts/dashboard/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { County, artifactsDir, checkPrerequisites, logIn, openBrowser, screenshot } from "./harness.mjs";

const ADMIN = { username: "county-admin", password: "admin-pass-2024" };
const POST = "田蓬联防所";
const RETURN_FREE_TEXT = "请补拍盖板";
const RETURN_COMMENT = `照片不清楚或缺少照片；${RETURN_FREE_TEXT}`;

/** The hazards the device records: a short name → author, severity, day (newest listed first). */
const HAZARDS = {
  wangHigh1: ["王明", "high", "2024-05-01"],
  wangHigh2: ["王明", "high", "2024-05-02"],
  wangHigh3: ["王明", "high", "2024-05-03"],
  wangMedium: ["王明", "medium", "2024-05-04"],
  liHigh: ["李国华", "high", "2024-05-05"],
  liLow1: ["李国华", "low", "2024-06-01"],
  liLow2: ["李国华", "low", "2024-06-02"],
  liLow3: ["李国华", "low", "2024-06-03"],
};

function hazardDraft(name) {
  const [author, severity, day] = HAZARDS[name];
  return {
    kind: "hazard",
    occurred_at: `${day}T09:00:00+08:00`,
    location: { lat: 23.62, lon: 105.63, accuracy_m: 6 },
    author,
    body: { category: "fence", severity, description: `界碑旁铁网破损 ${name}` },
  };
}

let county;
let device;
let browser;
const ids = {};

before(async () => {
  checkPrerequisites();
  county = new County();
  county.addAdmin(ADMIN.username, ADMIN.password, "admin");
  county.addPost(POST);
  await county.start();
  device = county.enrolDevice(POST, "王明的手机");
  for (const name of Object.keys(HAZARDS)) ids[name] = device.record(hazardDraft(name));
  ids.wangPatrol = device.record({
    kind: "patrol",
    occurred_at: "2024-05-06T08:00:00+08:00",
    ended_at: "2024-05-06T10:00:00+08:00",
    author: "王明",
    body: { joint: false, members: ["王明"], partners: [], markers: [], findings: "", distance_km: 3 },
  });
  const synced = device.sync();
  assert.equal(synced.report.rejected, 0, JSON.stringify(synced));
  browser = await openBrowser();
  await logIn(browser.page, county.url, ADMIN.username, ADMIN.password);
});

after(async () => {
  await browser?.close();
  await county?.stop();
});

const names = (...list) => list.map((name) => ids[name]);

async function shownIds(page) {
  return page.locator('[data-testid="entries-table"] [data-entry-id]').evaluateAll((links) => links.map((link) => link.dataset.entryId));
}

async function waitForRows(page, count) {
  await page.waitForFunction(
    (n) => !document.querySelector('[data-testid="entries-table"] .el-loading-mask') && document.querySelectorAll('[data-testid="entries-table"] [data-entry-id]').length === n,
    count,
  );
}

async function reviewState(page) {
  return (await page.locator('[data-testid="review-state"]').innerText()).trim();
}

async function openedEntry(page, id) {
  await page.waitForURL((url) => url.pathname === `/entries/${id}`);
  await page.waitForFunction(
    (wanted) => document.querySelector('[data-testid="entry-fields"] [data-field="body.description"]')?.textContent?.includes(wanted),
    Object.keys(ids).find((name) => ids[name] === id),
  );
}

test("bulk approve: one member's high hazards, filtered and all ticked, reach the device approved; the others stay pending", async () => {
  const { page } = browser;
  await page.goto(`${county.url}/entries`);
  await waitForRows(page, Object.keys(ids).length);
  await page.locator('[data-filter="severity"]').click();
  await page.locator(".el-select-dropdown__item:visible", { hasText: "高" }).click();
  await page.fill('input[name="author"]', "王明");
  await page.click('[data-testid="entries-search"]');
  await page.waitForURL((url) => url.searchParams.get("severity") === "high" && url.searchParams.get("author") === "王明");
  const wanted = names("wangHigh3", "wangHigh2", "wangHigh1");
  await waitForRows(page, wanted.length);
  assert.deepEqual(await shownIds(page), wanted, "exactly 王明's high hazards, newest first");
  for (const severity of await page.locator('[data-column="severity"]').allInnerTexts()) assert.equal(severity.trim(), "高");
  // At 1280 px every column is on screen, the review state and photos too: nothing to scroll to.
  const sideways = await page.locator('[data-testid="entries-table"] .el-table__body-wrapper .el-scrollbar__wrap').evaluate(
    (wrap) => ({ scroll: wrap.scrollWidth, shown: wrap.clientWidth }),
  );
  assert.ok(sideways.scroll <= sideways.shown + 1, `the table scrolls sideways: ${JSON.stringify(sideways)}`);

  await page.click('[data-testid="select-page"]');
  assert.equal((await page.locator('[data-testid="selected-count"]').innerText()).trim(), "已选 3 条");
  const answered = page.waitForResponse((response) => response.url().endsWith("/api/v1/admin/reviews"));
  await page.click('[data-testid="bulk-approve"]');
  const response = await answered;
  assert.equal(response.status(), 200);
  assert.deepEqual(JSON.parse(response.request().postData()).entry_ids, wanted);
  assert.deepEqual((await response.json()).reviewed, wanted);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="entries-table"] .el-tag')].map((tag) => tag.textContent.trim()).join() === "已通过,已通过,已通过",
  );
  assert.equal((await page.locator('[data-testid="selected-count"]').innerText()).trim(), "已选 0 条");
  await screenshot(page, "20-bulk-approved");

  device.sync();
  for (const id of wanted) {
    const entry = device.show(id);
    assert.equal(entry.review?.decision, "approved", JSON.stringify(entry));
    assert.equal(entry.review.reviewer, ADMIN.username);
  }
  for (const id of names("wangMedium", "liHigh", "wangPatrol", "liLow1")) {
    assert.equal(device.show(id).review, undefined, `${id} was not in the filtered set: still pending`);
  }
});

test("approve and next by keyboard: A approves and opens the next of the filtered list, J/K walk it, a key typed in a field is text", async () => {
  const { page } = browser;
  await page.goto(`${county.url}/entries?author=${encodeURIComponent("李国华")}&severity=low`);
  const list = names("liLow3", "liLow2", "liLow1");
  await waitForRows(page, list.length);
  assert.deepEqual(await shownIds(page), list);
  await page.locator(`[data-entry-id="${list[0]}"]`).click();
  await openedEntry(page, list[0]);
  assert.equal(await reviewState(page), "待审核");
  assert.match(await page.locator('[data-testid="review-shortcuts"]').innerText(), /A 通过并下一条.*R 退回.*J 下一条.*K 上一条/);

  // Typing "a" into the review box's comment is text, not a shortcut.
  await page.click('textarea[name="comment"]');
  await page.keyboard.type("a");
  assert.equal(await page.inputValue('textarea[name="comment"]'), "a");
  assert.equal(new URL(page.url()).pathname, `/entries/${list[0]}`);
  await page.fill('textarea[name="comment"]', "");
  await page.locator('[data-testid="entry-title"]').click();

  await page.keyboard.press("a");
  await openedEntry(page, list[1]);
  assert.equal(await reviewState(page), "待审核");
  await page.keyboard.press("a");
  await openedEntry(page, list[2]);
  assert.equal(await reviewState(page), "待审核", "the third is not approved by moving to it");
  await page.keyboard.press("k");
  await openedEntry(page, list[1]);
  assert.equal(await reviewState(page), "已通过");
  await page.keyboard.press("j");
  await openedEntry(page, list[2]);
  assert.equal(await reviewState(page), "待审核");
  assert.equal(new URL(page.url()).searchParams.get("severity"), "low", "the list's filters travel along");
  await screenshot(page, "21-approve-and-next");

  device.sync();
  assert.equal(device.show(list[0]).review?.decision, "approved");
  assert.equal(device.show(list[1]).review?.decision, "approved");
  assert.equal(device.show(list[2]).review, undefined);
});

test("return with a reason from the list: R opens the dialog, the comment reaches the device, and 退回未改 lists the entry", async () => {
  const { page } = browser;
  await page.goto(`${county.url}/entries/${ids.liLow1}?author=${encodeURIComponent("李国华")}&severity=low`);
  await openedEntry(page, ids.liLow1);
  await page.keyboard.press("r");
  const dialog = page.locator('[data-testid="return-dialog"]');
  await dialog.waitFor();
  const reasons = (await dialog.locator("[data-reason]").allInnerTexts()).map((text) => text.trim());
  assert.deepEqual(reasons, ["位置不准确", "照片不清楚或缺少照片", "描述不完整", "时间有误", "重复记录"]);
  // Returning with no reason and no text is refused before anything is sent.
  await dialog.locator('[data-testid="return-confirm"]').click();
  assert.equal((await dialog.locator('[data-testid="return-error"]').innerText()).trim(), "退回时请填写审核意见");
  await dialog.locator('[data-reason="photos"]').click();
  await dialog.locator('textarea[name="return-comment"]').fill(RETURN_FREE_TEXT);
  assert.equal((await dialog.locator('[data-testid="return-comment-preview"]').innerText()).trim(), `审核意见：${RETURN_COMMENT}`);
  const answered = page.waitForResponse((response) => response.url().endsWith(`/entries/${ids.liLow1}/review`));
  await dialog.locator('[data-testid="return-confirm"]').click();
  assert.equal((await answered).status(), 200);
  await page.waitForFunction(() => document.querySelector('[data-testid="review-state"]')?.textContent?.trim() === "已退回");
  assert.equal((await page.locator('[data-testid="review-current-comment"]').innerText()).trim(), RETURN_COMMENT);
  await screenshot(page, "22-returned-with-reason");

  device.sync();
  const returned = device.show(ids.liLow1);
  assert.equal(returned.review?.decision, "returned", JSON.stringify(returned));
  assert.equal(returned.review.comment, RETURN_COMMENT);

  await page.goto(`${county.url}/entries`);
  await waitForRows(page, Object.keys(ids).length);
  await page.locator('[data-filter="returned_unfixed"]').click();
  await page.click('[data-testid="entries-search"]');
  await page.waitForURL((url) => url.searchParams.get("returned_unfixed") === "true");
  await waitForRows(page, 1);
  assert.deepEqual(await shownIds(page), [ids.liLow1]);
});

test("export: the CSV of the filtered list holds exactly the rows the list shows", async () => {
  const { page } = browser;
  await page.goto(`${county.url}/entries?author=${encodeURIComponent("王明")}&kind=hazard`);
  const wanted = names("wangMedium", "wangHigh3", "wangHigh2", "wangHigh1");
  await waitForRows(page, wanted.length);
  assert.deepEqual(await shownIds(page), wanted);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="entries-export-csv"]')]);
  assert.match(download.suggestedFilename(), /^patrol-log-entries-\d{8}-\d{4}\.csv$/);
  const path = join(artifactsDir, download.suggestedFilename());
  await download.saveAs(path);
  const csv = readFileSync(path, "utf8");
  assert.ok(csv.startsWith("\uFEFF编号,联防所,类型,类别,标题"), csv.slice(0, 40));
  const rows = csv.slice(1).trim().split(/\r?\n/).slice(1).map((line) => line.split(","));
  assert.deepEqual(rows.map((row) => row[0]), wanted, "the same entries in the same order");
  for (const row of rows) {
    assert.equal(row[1], POST);
    assert.equal(row[7], "王明");
  }
  assert.deepEqual(rows.map((row) => row[12]), ["待审核", "已通过", "已通过", "已通过"]);
  assert.deepEqual(rows.map((row) => row[8]), ["中", "高", "高", "高"]);
});
