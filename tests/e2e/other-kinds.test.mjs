// The incident, outreach and activity forms in the real app window at 360×640, as a member
// uses them: from the home screen's "记录" tiles, an outreach session with an audience of 0
// shows the Chinese message on that field and saves nothing; corrected, it is saved and
// appears in the log; an incident and an activity are recorded the same way. A screenshot of
// each new screen goes to test-artifacts/.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { By, until } from "selenium-webdriver";
import { cliBinary, closePhone, openPhone } from "./harness.mjs";
import { css, test$, windowHelpers } from "./window.mjs";

let home;
let phone;
let driver;

// Each step fails rather than hangs when the window stops answering.
const STEP = { timeout: 180_000 };

before(async () => {
  phone = await openPhone();
  ({ home, driver } = phone);
  await windowHelpers(() => driver).unlockAs("李国华", "2580");
  await driver.wait(until.elementLocated(By.css('[data-test="sync-chip"]')), 30_000);
}, STEP);

after(() => closePhone(phone));

// ---- helpers ----------------------------------------------------------------------------------

const { textOf, click, type, route, waitForRoute, shot, shotAt } = windowHelpers(() => driver);

async function goHome() {
  await driver.executeScript("location.hash = '#/'");
  await waitForRoute("#/");
  await driver.wait(until.elementLocated(css(test$("home-record"))), 10_000);
}

/** The CLI's JSON answer, run beside the running app (SQLite WAL: no lock). */
function cliJson(...args) {
  const result = spawnSync(cliBinary, ["--data-dir", home.dataDir, ...args, "--json"], { encoding: "utf8", timeout: 30_000 });
  if (result.error) throw result.error;
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

/** What the store holds: the log's summaries. */
const storedEntries = () => cliJson("list").entries;

/** One stored entry, whole (its end time included). */
const storedEntry = (id) => cliJson("show", id);

/** YYYY-MM-DD of yesterday, on this machine's clock. */
function yesterdayDate() {
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
  return `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, "0")}-${String(yesterday.getDate()).padStart(2, "0")}`;
}

// ---- the member's records ---------------------------------------------------------------

test("Home offers all six kinds to record", STEP, async () => {
  await goHome();
  const tiles = await driver.findElements(css(`${test$("home-record")} button`));
  const labels = await Promise.all(tiles.map((tile) => driver.executeScript("return arguments[0].innerText.trim()", tile)));
  assert.deepEqual(labels, ["开始巡逻", "隐患排查", "修复登记", "案件", "普法宣传", "活动"]);
  for (const tile of tiles) {
    const { height } = await tile.getRect();
    assert.ok(height >= 56, `a tile for gloves is at least 56 px tall (got ${height})`);
  }
  await shot("home-record-360x640.png");
});

test("an outreach session with nobody in the audience shows the Chinese message there and saves nothing", STEP, async () => {
  await click(test$("home-new-outreach"));
  await waitForRoute("#/outreach");
  assert.equal(
    await driver.findElement(css(`${test$("outreach-audience")} input`)).getAttribute("inputmode"),
    "numeric",
    "the numeric keypad",
  );
  await type(`${test$("outreach-village")} input`, "田蓬村");
  await type(`${test$("outreach-topic")} input`, "禁毒");
  await type(`${test$("outreach-audience")} input`, "0");
  await click(test$("form-save"));
  await driver.wait(async () => /受教育人数/.test(await textOf(test$("outreach-audience"))), 10_000);
  assert.match(await textOf(test$("outreach-audience")), /受教育人数应为 1 到 100000 的整数/);
  assert.doesNotMatch(await textOf(test$("outreach-village")), /请填写/);
  // Save is at the bottom of the form: the problem is brought into view and its field focused.
  const shown = await driver.executeScript(`
    const field = document.querySelector('[data-test="outreach-audience"]');
    const box = field.getBoundingClientRect();
    return { top: box.top, bottom: box.bottom, height: innerHeight,
             focused: field.contains(document.activeElement) };`);
  assert.ok(shown.top >= 46 && shown.bottom <= shown.height, `the audience field in view: ${JSON.stringify(shown)}`);
  assert.ok(shown.focused, "the audience field is focused");
  await shotAt("outreach-errors-360x640.png", test$("outreach-audience"));
  assert.equal(await route(), "#/outreach", "still on the form");
  assert.deepEqual(storedEntries(), [], "nothing was recorded");
});

test("corrected and written up for yesterday, the session is saved on yesterday and appears in the log", STEP, async () => {
  await type(`${test$("outreach-audience")} input`, "120");
  await driver.wait(async () => !/受教育人数应为/.test(await textOf(test$("outreach-audience"))), 5_000, "the problem goes once fixed");
  await type(`${test$("outreach-description")} textarea`, "发放宣传册200份");
  // Written up the evening after: the member says it was yesterday.
  await click(test$("when-yesterday"));
  const day = yesterdayDate();
  await driver.wait(async () => (await driver.findElement(css(test$("occurred-at"))).getAttribute("data-when")).startsWith(day), 5_000);
  await shot("outreach-360x640.png");
  await shotAt("outreach-yesterday-360x640.png", test$("occurred-at"));
  await click(test$("form-save"));
  await waitForRoute("#/", 15_000);

  const [stored] = storedEntries();
  assert.equal(stored.kind, "outreach");
  assert.ok(stored.occurred_at.startsWith(`${day}T`), `recorded on yesterday ${day}: ${stored.occurred_at}`);
  assert.equal(stored.title, "普法宣传 · 田蓬村 · 禁毒 · 120 人 · 发放宣传册200份");

  await click(test$("tab-log"));
  await waitForRoute("#/log");
  const row = `${test$("entry-row")}[data-kind="outreach"]`;
  await driver.wait(until.elementLocated(css(row)), 15_000);
  const text = await textOf(row);
  assert.match(text, /普法宣传/);
  assert.match(text, new RegExp(day), "the log shows it on yesterday");
  assert.match(text, /田蓬村 · 禁毒 · 120 人/);
  await shot("log-outreach-360x640.png");

  await click(row);
  await driver.wait(until.elementLocated(css(test$("detail-audience"))), 10_000);
  assert.match(await textOf(test$("detail-audience")), /120 人/);
  assert.match(await textOf(test$("detail-village")), /田蓬村/);
  assert.match(await textOf(test$("entry-kind")), /普法宣传/);
  await shot("entry-outreach-360x640.png");
});

test("an incident: the crime type, persons on the keypad, whom it was handed to", STEP, async () => {
  await goHome();
  await click(test$("home-new-incident"));
  await waitForRoute("#/incident");
  await click(test$("form-save"));
  assert.equal(await textOf(test$("error-crime_type")), "请选择案件类型");
  assert.match(await textOf(test$("incident-persons")), /请填写涉案人数/);
  await click(test$("incident-crime-type-illegal_crossing"));
  await type(`${test$("incident-persons")} input`, "2");
  await type(`${test$("incident-handed-to")} input`, "田蓬边境派出所");
  await type(`${test$("incident-description")} textarea`, "界碑125附近劝返2名非法越境人员");
  await shot("incident-360x640.png");
  await click(test$("form-save"));
  await waitForRoute("#/", 15_000);
});

test("an activity written up the day after: its type among seven, the attendees, the topic, 2 hours long", STEP, async () => {
  await click(test$("home-new-activity"));
  await waitForRoute("#/activity");
  assert.equal((await driver.findElements(css(`[data-test^="activity-type-"]`))).length, 7);
  await click(test$("activity-type-joint_meeting"));
  await type(`${test$("activity-attendees")} input`, "15");
  await type(`${test$("activity-topic")} input`, "第一季度军地联席会议");
  await click(test$("when-yesterday"));
  await click(test$("until-2h"));
  await driver.wait(async () => (await driver.findElement(css(test$("ended-at"))).getAttribute("data-when")) !== "", 5_000);
  await shot("activity-360x640.png");
  await shotAt("activity-ended-at-360x640.png", test$("ended-at"));
  await click(test$("form-save"));
  await waitForRoute("#/", 15_000);

  const meeting = storedEntries().find((entry) => entry.kind === "activity");
  const entry = storedEntry(meeting.id);
  assert.ok(entry.occurred_at.startsWith(`${yesterdayDate()}T`), `on yesterday: ${entry.occurred_at}`);
  assert.equal(Date.parse(entry.ended_at) - Date.parse(entry.occurred_at), 2 * 3600 * 1000, `${entry.occurred_at} → ${entry.ended_at}`);

  const kinds = storedEntries().map((entry) => entry.kind).sort();
  assert.deepEqual(kinds, ["activity", "incident", "outreach"]);
  const titles = storedEntries().map((entry) => entry.title);
  assert.ok(titles.includes("非法越境 · 2 人 · 移交田蓬边境派出所 · 界碑125附近劝返2名非法越境人员"), titles.join("\n"));
  assert.ok(titles.includes("军地联席会议 · 第一季度军地联席会议 · 15 人"), titles.join("\n"));
});

test("the log lists the three new entries with their kinds", STEP, async () => {
  await click(test$("tab-log"));
  await waitForRoute("#/log");
  await driver.wait(async () => (await driver.findElements(css(test$("entry-row")))).length === 3, 15_000, "3 rows");
  const kinds = await Promise.all(
    (await driver.findElements(css(test$("entry-row")))).map((row) => row.getAttribute("data-kind")),
  );
  assert.deepEqual([...kinds].sort(), ["activity", "incident", "outreach"]);
  await shot("log-other-kinds-360x640.png");
});

test("a patrol written up afterwards: start yesterday, half a day long, its distance and member", STEP, async () => {
  await goHome();
  await click(test$("home-start-patrol"));
  await waitForRoute("#/patrol");
  await click(test$("patrol-write-up"));
  await waitForRoute("#/patrol/write-up");
  await click(test$("form-save"));
  await driver.wait(async () => /请填写巡逻里程/.test(await textOf(test$("write-up-distance"))), 10_000);
  assert.match(await textOf(test$("occurred-at")), /请选择巡逻开始时间/);
  assert.match(await textOf(test$("ended-at")), /请选择巡逻结束时间/);
  assert.equal(storedEntries().length, 3, "nothing recorded");

  await click(test$("when-yesterday"));
  await click(test$("until-4h"));
  await type(`${test$("write-up-distance")} input`, "8.5");
  await click(test$("patrol-member-李国华"));
  await type(`${test$("patrolWriteUp-description")} textarea`, "界碑125至127铁网完好");
  await driver.wait(async () => !/请填写巡逻里程/.test(await textOf(test$("write-up-distance"))), 5_000, "the problem goes once fixed");
  await shot("patrol-write-up-360x640.png");
  await click(test$("form-save"));
  await waitForRoute("#/", 15_000);

  const patrol = storedEntries().find((entry) => entry.kind === "patrol");
  assert.ok(patrol, "the patrol is stored");
  assert.equal(patrol.status, "ended");
  const entry = storedEntry(patrol.id);
  assert.ok(entry.occurred_at.startsWith(`${yesterdayDate()}T`), `started yesterday: ${entry.occurred_at}`);
  assert.equal(Date.parse(entry.ended_at) - Date.parse(entry.occurred_at), 4 * 3600 * 1000);
  assert.equal(entry.body.distance_km, 8.5);
  assert.deepEqual(entry.body.members, ["李国华"]);
  assert.equal(entry.body.findings, "界碑125至127铁网完好");
  assert.equal(entry.body.track, undefined, "no track: it was written up");
  assert.equal(entry.location, undefined, "no GPS fix of where the phone is now");

  await driver.executeScript(`location.hash = '#/entry/${patrol.id}'`);
  await driver.wait(until.elementLocated(css(test$("detail-ended_at"))), 10_000);
  assert.match(await textOf(test$("detail-ended_at")), /结束时间/);
});
