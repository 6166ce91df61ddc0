// The field app end to end at 360×640, as a member would use it: with no server, a patrol (with a
// GPS track that goes on while a hazard is recorded on another screen, and lists that hazard)
// and a repair that closes the hazard are recorded through the screens; the app is
// killed during the patrol and brings it back; bad input shows the field's Chinese message and
// saves nothing (the post leader set up on the lock screen first, and again after the restart);
// then a real county-server is started, the phone is enrolled in Settings and the
// chip reaches "已同步" without a click, the county's export holding the three entries; at the
// end the county revokes and wipes it, and the app locks and says what was lost.
// A screenshot of every screen goes to test-artifacts/.
//
// The desktop webview has no location service, so the test stands in for the phone's GPS:
// `navigator.geolocation` is replaced in the page by one the test feeds fixes to.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { By, until } from "selenium-webdriver";
import {
  countyAdmin,
  countyReviewer,
  killAppUnder,
  makeDataHome,
  openApp,
  removeDataHome,
  startCountyServer,
  startTauriDriver,
  writeTestPng,
} from "./harness.mjs";
import { css, test$, windowHelpers } from "./window.mjs";

let dataHome;
let tauriDriver;
let driver;
let county;
let countyDir;

async function launch() {
  tauriDriver = await startTauriDriver({ XDG_DATA_HOME: dataHome });
  driver = await openApp();
  await driver.manage().window().setRect({ width: 360, height: 640 });
  // The first launch sets up the post leader; after a restart he picks his tile and types it.
  await unlockAs("李国华", "2580");
  await driver.wait(until.elementLocated(By.css('[data-test="sync-chip"]')), 30_000);
  await installFakeGps();
}

async function closeApp() {
  try {
    if (driver) await driver.quit();
  } catch (error) {
    console.error(`closing the WebDriver session: ${error}`);
  }
  driver = null;
  if (tauriDriver) await tauriDriver.stop();
  tauriDriver = null;
}

before(async () => {
  dataHome = makeDataHome().dataHome;
  countyDir = mkdtempSync(join(tmpdir(), "patrol-log-e2e-county-"));
  await launch();
});

after(async () => {
  await closeApp();
  if (county) await county.stop();
  if (dataHome) removeDataHome(dataHome);
  if (countyDir) removeDataHome(countyDir);
});

// ---- helpers --------------------------------------------------------------------------------

const { textOf, click, type, route, waitForRoute, shot, shotAt, unlockAs, installFakeGps, gpsFix: feedFix } = windowHelpers(() => driver);

/**
 * The member walks: each fix is a minute after the one before (kept here, across app restarts),
 * so 500 m between fixes is a walk, not a GPS jump the recorder leaves out of the distance.
 */
let fixesFed = 0;
async function gpsFix(lat, lon) {
  fixesFed += 1;
  const at = Date.now() + fixesFed * 60_000;
  return feedFix(lat, lon, 5, at);
}

/** The send mark of every log row shown, top to bottom. */
async function sendMarks() {
  return driver.executeScript(
    `return [...document.querySelectorAll('[data-test="entry-row"]')]
       .map((row) => row.querySelector('[data-test="entry-row-send"]')?.innerText.trim() ?? null)`,
  );
}

async function chip() {
  return textOf(test$("sync-chip"));
}

async function waitForChip(pattern, timeout) {
  let last = "";
  await driver
    .wait(async () => pattern.test((last = await chip())), timeout)
    .catch((error) => {
      throw new Error(`sync chip never matched ${pattern} (last: ${last}): ${error.message}`);
    });
  return last;
}

async function goTab(name, hash) {
  // The tabs are on the four main screens; from a form or a detail go to the screen directly.
  if ((await driver.findElements(css(test$(`tab-${name}`)))).length === 0) {
    await driver.executeScript("location.hash = arguments[0]", hash);
    await driver.wait(until.elementLocated(css(test$(`tab-${name}`))), 10_000);
  }
  await click(test$(`tab-${name}`));
  await waitForRoute(hash);
}

async function goHome() {
  await driver.executeScript("location.hash = '#/'");
  await waitForRoute("#/");
  await driver.wait(until.elementLocated(css(test$("home-summary"))), 10_000);
}

async function dismissDialog() {
  const confirm = await driver.wait(until.elementLocated(css(".van-dialog__confirm")), 10_000);
  await driver.wait(until.elementIsVisible(confirm), 10_000);
  await confirm.click();
}

// ---- the member's day -----------------------------------------------------------------------

test("Settings: the post leader unlocked adds a member to the roster", async () => {
  assert.equal(await driver.getTitle(), "巡防日志");
  await goTab("settings", "#/settings");
  assert.match(await textOf(test$("settings-current-member")), /李国华（负责人）/);
  await type(`${test$("settings-roster-name")} input`, "王明");
  await click(test$("settings-roster-add"));
  await driver.wait(
    async () => (await driver.findElements(css(test$("settings-roster-row")))).length === 2,
    10_000,
    "王明 on the roster",
  );
  await shot("settings-360x640.png");
});

test("Home: today at a glance, the chip says the phone is not enrolled", async () => {
  await goTab("home", "#/");
  assert.match(await textOf(test$("home-summary")), /今日巡逻/);
  assert.match(await textOf(test$("home-member")), /李国华/);
  assert.equal(await chip(), "未登记");
  await shot("home-360x640.png");
});

test("a hazard with bad input shows each field's Chinese message and saves nothing", async () => {
  await click(test$("home-new-hazard"));
  await waitForRoute("#/hazard");
  await type(`${test$("location-lat")} input`, "95");
  await type(`${test$("location-lon")} input`, "105.6312");
  await click(test$("form-save"));
  assert.equal(await textOf(test$("error-category")), "请选择隐患类别");
  assert.equal(await textOf(test$("error-severity")), "请选择严重程度");
  assert.match(await textOf(test$("location-lat")), /纬度应在 -90 到 90 之间/);
  await shot("hazard-errors-360x640.png");
  assert.equal(await route(), "#/hazard", "still on the form");
  assert.equal(await chip(), "未登记", "nothing was recorded");
  await goHome();
  assert.equal(await chip(), "未登记", "leaving the form records nothing either");
});

test("a half-filled form is kept as a draft and restored on reopening", async () => {
  await click(test$("home-new-hazard"));
  await waitForRoute("#/hazard");
  await driver.wait(until.elementLocated(css(test$("draft-restored"))), 10_000);
  assert.equal(await driver.findElement(css(`${test$("location-lat")} input`)).getAttribute("value"), "95");
  // Emptied again, the form has nothing worth keeping: its draft goes.
  await type(`${test$("location-lat")} input`, "");
  await type(`${test$("location-lon")} input`, "");
  await goHome();
  await click(test$("home-new-hazard"));
  await waitForRoute("#/hazard");
  await driver.sleep(1000);
  assert.equal((await driver.findElements(css(test$("draft-restored")))).length, 0, "no draft left");
  await goHome();
});

test("a patrol: members, partners, markers, a live GPS track", async () => {
  await click(test$("home-start-patrol"));
  await waitForRoute("#/patrol");
  await driver.wait(until.elementLocated(css(`${test$("patrol-start")}:not([disabled])`)), 10_000);
  await click(test$("patrol-member-李国华"));
  await click(test$("patrol-member-王明"));
  await click(test$("partner-add"));
  // Gloves: the stepper's + button, not the keyboard.
  await click(`${test$("partner-count-0")} .van-stepper__plus`);
  await click(`${test$("partner-count-0")} .van-stepper__plus`);
  assert.equal(await driver.findElement(css(`${test$("partner-count-0")} input`)).getAttribute("value"), "3");
  await type(`${test$("patrol-markers")} input`, "123, 124");
  await click(test$("patrol-start"));
  await driver.wait(until.elementLocated(css(test$("patrol-live"))), 10_000);

  // Three fixes about 550 m apart along the border road.
  let watchers = 0;
  for (const [lat, lon] of [
    [23.6251, 105.6312],
    [23.6301, 105.6312],
    [23.6351, 105.6312],
  ]) {
    watchers = await gpsFix(lat, lon);
    await driver.sleep(300);
  }
  assert.ok(watchers > 0, "the patrol screen watches the position");
  await driver.wait(async () => (await textOf(test$("patrol-points"))) === "3", 10_000, "3 track points");
  assert.match(await textOf(test$("patrol-distance")), /^1\.\d\d 公里$/);
  assert.match(await textOf(test$("patrol-duration")), /^\d\d:\d\d$/);
  await shot("patrol-running-360x640.png");
  await shotAt("patrol-running-end-360x640.png", test$("patrol-end"));
});

test("the patrol keeps recording while the member records a hazard on another screen", async () => {
  await goHome();
  await driver.wait(until.elementLocated(css(test$("home-running-patrol"))), 10_000);
  await click(test$("home-new-hazard"));
  await waitForRoute("#/hazard");
  await driver.wait(until.elementLocated(css(test$("form-during-patrol"))), 10_000);
  assert.match(await textOf(test$("form-during-patrol")), /巡逻进行中/);
  await driver.sleep(300);
  // Two fixes reach the hazard's position and the patrol's track alike.
  await gpsFix(23.6251, 105.6312);
  await click(test$("hazard-category-fence"));
  await click(test$("hazard-severity-high"));
  await type(`${test$("hazard-description")} textarea`, "铁网被洪水冲毁约30米");
  await driver.wait(async () => (await driver.findElement(css(`${test$("location-lat")} input`)).getAttribute("value")) !== "", 5_000);
  // A photo through the file input (the camera on a phone): imported, shown as a thumbnail.
  const photo = writeTestPng(join(countyDir, "fence.png"));
  await driver.findElement(css(test$("hazard-photos-input"))).sendKeys(photo);
  await driver.wait(until.elementLocated(css(`${test$("photo-thumb")} img`)), 20_000);
  await gpsFix(23.6261, 105.6322);
  await shot("hazard-360x640.png");
  await shotAt("hazard-photo-360x640.png", test$("hazard-photos"));
  await click(test$("form-save"));
  await waitForRoute("#/", 15_000);

  await click(test$("home-running-patrol"));
  await waitForRoute("#/patrol");
  await driver.wait(async () => (await textOf(test$("patrol-points"))) === "5", 10_000, "5 points: 3 before, 2 while away");
  await driver.wait(
    async () => (await driver.findElements(css(`${test$("patrol-entry")}[data-kind="hazard"]`))).length === 1,
    10_000,
    "the hazard listed on the patrol",
  );
  assert.match(await textOf(test$("patrol-entries")), /铁网被洪水冲毁约30米/);
  await shotAt("patrol-with-hazard-360x640.png", test$("patrol-entries"));
});

test("the app killed during the patrol brings it back with its points", async () => {
  const killed = await killAppUnder(tauriDriver.pid);
  console.log(`killed the app (pid ${killed})`);
  await closeApp();
  await launch();

  await driver.wait(until.elementLocated(css(test$("home-running-patrol"))), 20_000);
  assert.match(await textOf(test$("home-running-patrol")), /巡逻进行中/);
  await shot("home-patrol-running-360x640.png");
  await click(test$("home-running-patrol"));
  await waitForRoute("#/patrol");
  await driver.wait(async () => (await textOf(test$("patrol-points"))) === "5", 10_000, "5 points after the restart");
  assert.match(await textOf(test$("patrol-distance")), /^\d\.\d\d 公里$/);
  const members = await driver.findElement(css(test$("patrol-member-王明")));
  assert.equal(await members.getAttribute("aria-pressed"), "true", "the members came back");

  await gpsFix(23.6401, 105.6312);
  await driver.wait(async () => (await textOf(test$("patrol-points"))) === "6", 10_000, "a 6th point");
  await type(`${test$("patrol-findings")} textarea`, "界碑123附近发现新踩踏便道");
  await click(test$("patrol-end"));
  await dismissDialog();
  await waitForRoute("#/", 15_000);
});

test("a repair that closes the hazard", async () => {
  await click(test$("home-new-repair"));
  await waitForRoute("#/repair");
  await driver.sleep(300);
  await gpsFix(23.6252, 105.6313);
  await click(test$("repair-category-fence"));
  await type(`${test$("repair-quantity")} input`, "30");
  await driver.wait(until.elementLocated(css(test$("repair-hazard-option"))), 10_000);
  const option = await driver.findElement(css(test$("repair-hazard-option")));
  assert.match(await driver.executeScript("return arguments[0].innerText", option), /铁网/);
  await click(test$("repair-hazard-option"));
  await type(`${test$("repair-description")} textarea`, "重新架设铁网30米");
  await driver.findElement(css(test$("repair-before-input"))).sendKeys(writeTestPng(join(countyDir, "before.png"), 80, 60));
  await driver.findElement(css(test$("repair-after-input"))).sendKeys(writeTestPng(join(countyDir, "after.png"), 60, 80));
  await driver.wait(
    async () => (await driver.findElements(css(`${test$("photo-thumb")} img`))).length === 2,
    20_000,
    "thumbnails before and after",
  );
  await shot("repair-360x640.png");
  await shotAt("repair-photos-360x640.png", test$("repair-after"));
  await click(test$("form-save"));
  await waitForRoute("#/", 15_000);
  await driver.wait(async () => /\d/.test(await textOf(test$("stat-hazards"))), 10_000);
  assert.match(await textOf(test$("stat-hazards")), /^0/, "the hazard is no longer open");
  assert.match(await textOf(test$("stat-patrols")), /^1/);
});

test("with no server the chip counts 3 entries to sync", async () => {
  await waitForChip(/^3 条待同步$/, 15_000);
  await shot("home-pending-360x640.png");
});

test("the log lists the three entries; an entry shows its details and history", async () => {
  await goTab("log", "#/log");
  await driver.wait(async () => (await driver.findElements(css(test$("entry-row")))).length === 3, 15_000, "3 rows");
  const kinds = await Promise.all(
    (await driver.findElements(css(test$("entry-row")))).map((row) => row.getAttribute("data-kind")),
  );
  assert.deepEqual([...kinds].sort(), ["hazard", "patrol", "repair"]);
  assert.deepEqual(await sendMarks(), ["待发送", "待发送", "待发送"], "no server yet: every row waits to be sent");
  await shot("log-360x640.png");

  await click(`${test$("entry-row")}[data-kind="hazard"]`);
  await driver.wait(until.elementLocated(css(test$("detail-category"))), 10_000);
  assert.match(await textOf(test$("entry-send-state")), /待发送：联网后自动发送到县里/);
  assert.match(await textOf(test$("detail-category")), /铁网\/围栏/);
  assert.match(await textOf(test$("entry-screen")), /已整改/);
  assert.ok((await driver.findElements(css(test$("history-row")))).length >= 2, "created, then fixed");
  await shot("entry-360x640.png");
});

test("the month screen counts this month's work by category and by member", async () => {
  await goHome();
  await click(test$("home-month"));
  await waitForRoute("#/month");
  await driver.wait(async () => (await driver.findElements(css(test$("month-category")))).length === 3, 10_000, "3 categories");
  const categories = await driver.executeScript(
    `return [...document.querySelectorAll('[data-test="month-category"]')].map((cell) => cell.innerText.replace(/\\s+/g, " ").trim())`,
  );
  assert.equal(categories.length, 3, categories.join(" | "));
  assert.match(categories[0], /^巡逻 · 联合巡逻 1 条 · \d+(\.\d+)? 公里$/);
  assert.equal(categories[1], "隐患排查 · 铁网/围栏 1 条");
  assert.equal(categories[2], "修复 · 铁网 1 条 · 30 米");
  assert.match(await textOf(test$("month-member")), /^李国华\s+巡逻\s1 · 隐患排查\s1 · 修复\s1\s+3 条$/);
  assert.equal(await textOf(`${test$("month-hazards-week")} .van-cell__value`), "0", "the hazard is fixed");
  await shot("month-360x640.png");
});

test("enrolled in Settings, the phone syncs by itself and the county holds the three entries", async () => {
  county = await startCountyServer(countyDir);
  const post = countyAdmin(county.database, ["post", "add", "某联防所"]).split(/\s+/).pop();
  const code = countyAdmin(county.database, ["enroll-code", post]).split(/\s+/).pop();

  await goTab("sync", "#/sync");
  assert.match(await textOf(test$("sync-not-enrolled")), /还没有登记/);
  await shot("sync-not-enrolled-360x640.png");

  await goTab("settings", "#/settings");
  await type(`${test$("settings-server-url")} input`, county.url);
  await type(`${test$("settings-code")} input`, code);
  await click(test$("settings-enroll"));
  await driver.wait(until.elementLocated(css(test$("settings-enrolled"))), 20_000);
  assert.match(await textOf(test$("settings-enrolled")), /某联防所/);

  const synced = await waitForChip(/^已同步 \d\d:\d\d$/, 90_000);
  console.log(`chip: ${synced}`);
  await goTab("sync", "#/sync");
  await driver.wait(async () => (await textOf(test$("sync-pending"))).endsWith("0"), 10_000);
  assert.doesNotMatch(await textOf(test$("sync-last-success")), /从未同步/);
  await shot("sync-360x640.png");

  const exported = countyAdmin(county.database, ["export", "--format", "jsonl"])
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
  const kinds = exported.map((entry) => entry.kind ?? entry.entry?.kind).sort();
  assert.deepEqual(kinds, ["hazard", "patrol", "repair"], JSON.stringify(exported).slice(0, 2000));
  const hazard = exported.find((entry) => entry.kind === "hazard");
  assert.equal(hazard.photos?.length, 1, "the hazard's photo went with it");
  const repair = exported.find((entry) => entry.kind === "repair");
  assert.deepEqual(repair.photos?.map((photo) => photo.role).sort(), ["after", "before"]);
  assert.equal(repair.body.closes_hazard, hazard.id, "the repair closes the hazard at the county too");
  const text = JSON.stringify(exported);
  assert.match(text, /铁网被洪水冲毁约30米/);
  assert.match(text, /界碑123附近发现新踩踏便道/);
});

test("an entry is edited (a new version in its history, synced again) and deleting asks first", async () => {
  await goTab("log", "#/log");
  await driver.wait(async () => (await sendMarks()).join() === "已发送,已发送,已发送", 15_000, "every row sent");
  await click(`${test$("entry-row")}[data-kind="repair"]`);
  await driver.wait(until.elementLocated(css(test$("detail-description"))), 10_000);
  await click(test$("entry-edit"));
  await driver.wait(async () => /^#\/repair\/.+\/edit$/.test(await route()), 10_000, "the repair's edit form");
  await driver.wait(
    async () => (await driver.findElement(css(`${test$("repair-quantity")} input`)).getAttribute("value")) === "30",
    10_000,
    "the stored values in the form",
  );
  await type(`${test$("repair-description")} textarea`, "重新架设铁网30米，已加固");
  await shot("repair-edit-360x640.png");
  await click(test$("form-save"));
  await driver.wait(async () => /^#\/entry\//.test(await route()), 10_000, "back on the entry");
  await driver.wait(async () => /已加固/.test(await textOf(test$("detail-description"))), 10_000);
  assert.match(await textOf(test$("detail-description")), /^修复说明\s+重新架设铁网30米，已加固$/);
  assert.equal((await driver.findElements(css(test$("history-row")))).length, 2, "created, edited");
  await waitForChip(/^已同步 \d\d:\d\d$/, 90_000);

  await click(test$("entry-delete"));
  const dialog = await driver.wait(until.elementLocated(css(".van-dialog")), 10_000);
  await driver.wait(until.elementIsVisible(dialog), 10_000);
  assert.match(await driver.executeScript("return arguments[0].innerText", dialog), /确定删除这条记录吗/);
  await shot("entry-delete-confirm-360x640.png");
  await click(".van-dialog__cancel");
  await driver.wait(until.elementIsNotVisible(dialog), 10_000);
  assert.equal((await driver.findElements(css(test$("history-row")))).length, 2, "cancel deletes nothing");
});

test("a repair the county returns gets its missing after photo and goes back to the county", async () => {
  const office = await countyReviewer(county, "张科长");
  const repairId = countyAdmin(county.database, ["export", "--format", "jsonl"])
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line))
    .find((entry) => entry.kind === "repair").id;
  const returned = await office.review(repairId, "returned", "请补拍铁网修复后的照片");
  assert.equal(returned.review_decision, "returned");

  // The next sync brings the return: a red badge on the chip, a notice on Home.
  await goTab("sync", "#/sync");
  await click(test$("sync-now"));
  await driver.wait(until.elementLocated(css(test$("sync-chip-returned"))), 60_000, "the chip's return badge");
  assert.equal(await textOf(test$("sync-chip-returned")), "退回 1");
  await goHome();
  await driver.wait(until.elementLocated(css(test$("home-returned"))), 10_000);
  assert.match(await textOf(test$("home-returned")), /1 条被县里退回/);
  await shot("home-returned-360x640.png");

  // Home's notice opens the log filtered to returns: the repair alone.
  await click(test$("home-returned"));
  await driver.wait(async () => /^#\/log\?review=returned/.test(await route()), 10_000, "the log of returns");
  await driver.wait(
    async () => (await driver.findElements(css(`${test$("entry-row")}[data-review="returned"]`))).length === 1,
    10_000,
    "one returned row",
  );
  assert.equal((await driver.findElements(css(test$("entry-row")))).length, 1, "only the returned entry");
  await click(`${test$("entry-row")}[data-kind="repair"]`);
  await driver.wait(until.elementLocated(css(test$("entry-review-text"))), 10_000);
  assert.equal(await textOf(test$("entry-review-text")), "已退回：请补拍铁网修复后的照片");

  // The edit form repeats the comment; the after photo is added to the saved repair.
  await click(test$("review-fix"));
  await driver.wait(async () => /^#\/repair\/.+\/edit$/.test(await route()), 10_000, "the repair's edit form");
  await driver.wait(until.elementLocated(css(test$("form-returned"))), 10_000);
  assert.match(await textOf(test$("form-returned")), /请补拍铁网修复后的照片/);
  const afterPhotos = `${test$("repair-after")} ${test$("photo-thumb")}`;
  await driver.wait(async () => (await driver.findElements(css(afterPhotos))).length === 1, 10_000, "the after photo saved before");
  const photo = writeTestPng(join(countyDir, "fence-after-fixed.png"), 120, 80);
  await driver.findElement(css(test$("repair-after-input"))).sendKeys(photo);
  await driver.wait(async () => (await driver.findElements(css(`${afterPhotos} img`))).length === 2, 20_000, "2 after photos");
  await shot("repair-returned-edit-360x640.png");
  await shotAt("repair-returned-photos-360x640.png", test$("repair-after"));
  await click(test$("form-save"));
  await driver.wait(async () => /^#\/entry\//.test(await route()), 10_000, "back on the entry");
  await driver.wait(async () => (await driver.findElements(css(`${test$("detail-after")} ${test$("photo-thumb")}`))).length === 2, 10_000);
  assert.equal((await driver.findElements(css(test$("entry-review")))).length, 0, "no longer returned on the phone");

  // Sent by itself: the badge goes, and the county has the photo and the entry to review again.
  await waitForChip(/^已同步 \d\d:\d\d$/, 90_000);
  const atCounty = await office.entry(repairId);
  assert.deepEqual(atCounty.entry.photos.map((p) => p.role).sort(), ["after", "after", "before"]);
  assert.equal(atCounty.summary.review_decision, null, "awaiting the county's review again");
  assert.equal(atCounty.summary.photo_count, 3);
  const added = atCounty.entry.photos.filter((p) => p.role === "after").map((p) => p.sha256);
  for (const sha of added) {
    assert.equal(await office.photoStatus(atCounty.summary.post_id, sha, "full"), 200, `after photo ${sha} at the county`);
  }

  // The log's 已退回 filter, still on, is empty now; clearing it shows every entry.
  await goTab("log", "#/log");
  await driver.wait(async () => (await driver.findElements(css(test$("log-empty")))).length === 1, 10_000, "no return left");
  await click(test$("log-clear-active"));
  await driver.wait(async () => (await driver.findElements(css(test$("entry-row")))).length === 3, 10_000, "3 rows again");
});

test("the county server gone, the chip says offline and the Sync screen what to do; back, it syncs by itself", async () => {
  const url = county.url;
  await county.stop();
  county = null;
  await goHome();
  await click(test$("home-new-hazard"));
  await waitForRoute("#/hazard");
  await click(test$("hazard-category-crossing"));
  await click(test$("hazard-severity-medium"));
  await type(`${test$("hazard-description")} textarea`, "界碑125下方发现新便道");
  await click(test$("form-save"));
  await waitForRoute("#/", 15_000);
  await waitForChip(/^离线 · 1 条待同步$/, 60_000);
  await goTab("sync", "#/sync");
  await driver.wait(until.elementLocated(css(test$("sync-offline"))), 30_000);
  assert.match(await textOf(test$("sync-offline")), /连不上县里服务器/);
  await shot("sync-offline-360x640.png");

  county = await startCountyServer(countyDir, new URL(url).host);
  // Without a click: the background task's next probe finds the server again.
  await waitForChip(/^已同步 \d\d:\d\d$/, 120_000);
  const exported = countyAdmin(county.database, ["export", "--format", "jsonl"]);
  assert.match(exported, /界碑125下方发现新便道/);
});

test("English can be chosen in Settings and is shown at once", async () => {
  await goTab("settings", "#/settings");
  await click(test$("settings-language-en-US"));
  await driver.wait(async () => (await textOf(".van-nav-bar__title")) === "Settings", 5_000);
  await goTab("home", "#/");
  assert.equal(await textOf(".van-nav-bar__title"), "Patrol Log");
  assert.match(await chip(), /^Synced \d\d:\d\d$/);  // after the offline test too
  await shot("home-en-360x640.png");
  await goTab("settings", "#/settings");
  await click(test$("settings-language-zh-CN"));
  await driver.wait(async () => (await textOf(".van-nav-bar__title")) === "设置", 5_000);
});

test("the same screens at desktop width", async () => {
  await driver.manage().window().setRect({ width: 1024, height: 768 });
  await goTab("log", "#/log");
  // The log was kept alive since its last visit; the hazard recorded offline is in it now.
  await driver.wait(async () => (await driver.findElements(css(test$("entry-row")))).length === 4, 15_000, "4 rows");
  await shot("log-1024x768.png");
  await goTab("home", "#/");
  await shot("home-1024x768.png");
});

test("the county revokes and wipes the phone: the app locks, says what was lost, and holds nothing", async () => {
  await driver.manage().window().setRect({ width: 360, height: 640 });
  const deviceId = countyAdmin(county.database, ["device", "list"]).split("\n")[1].split("\t")[0];
  countyAdmin(county.database, ["device", "revoke", "--wipe", deviceId]);
  // Recorded after the order, before the phone hears of it: unsent when it wipes itself.
  await goHome();
  await click(test$("home-new-hazard"));
  await waitForRoute("#/hazard");
  await click(test$("hazard-category-crossing"));
  await click(test$("hazard-severity-medium"));
  await type(`${test$("hazard-description")} textarea`, "清除前未送出的隐患");
  await click(test$("form-save"));
  // Saving wakes the sync, which is told to wipe.
  const notice = await driver.wait(until.elementLocated(css(test$("lock-wiped"))), 60_000);
  await driver.wait(until.elementIsVisible(notice), 10_000);
  assert.match(await notice.getText(), /按县边防办的要求清除：当时尚有 1 条记录、0 张照片未上传/);
  assert.match(await textOf(test$("lock-title")), /第一位|负责人|姓名|人员/, "a fresh phone: the first member sets up");
  await shot("lock-wiped-360x640.png");
  const row = countyAdmin(county.database, ["device", "list"])
    .split("\n")
    .find((line) => line.startsWith(deviceId))
    .split("\t");
  assert.equal(row[8], "wiped");
  assert.equal(row[9].split(" ")[0], "entries=1");
});
