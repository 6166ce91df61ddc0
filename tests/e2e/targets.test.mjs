// Gloves and sun, measured on every screen of the real app window at 360×640 (and 320×568):
// every tappable element is at least 48×48 px, no text is under 14 px (typed text 16 px), and no
// short label breaks over two lines; then the same at the 特大 text size chosen in Settings.
// Each screen is opened as a member would reach it, with entries recorded by the CLI beforehand
// (a hazard with a photo, a repair, an outreach session), a patrol running, a dialog, the log's
// filter menus and its date wheels open.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { until } from "selenium-webdriver";
import { cliBinary, closePhone, makeDataHome, openPhone, writeTestPng } from "./harness.mjs";
import { describeProblems, measureScreen } from "./measure.mjs";
import { css, test$, windowHelpers } from "./window.mjs";
import { spawnSync } from "node:child_process";

let home;
let phone;
let driver;
let hazardId;
const STEP = { timeout: 300_000 };

/** Records with the CLI (`patrol record KIND --json - [args]`); returns the new entry's id. */
function record(kind, entry, args = []) {
  const result = spawnSync(cliBinary, ["--data-dir", home.dataDir, "record", kind, "--json", "-", ...args], {
    input: JSON.stringify(entry),
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return /([0-9a-f-]{36})/.exec(result.stdout)[1];
}

before(async () => {
  home = makeDataHome();
  const photo = writeTestPng(join(home.dataHome, "fence.png"), 160, 120);
  hazardId = record(
    "hazard",
    { occurred_at: "2024-03-02T09:00:00+08:00", location: { lat: 23.6251, lon: 105.6312 }, body: { category: "fence", severity: "high", description: "铁网被洪水冲毁约30米" } },
    ["--photo", photo],
  );
  record("repair", { occurred_at: "2024-03-03T10:00:00+08:00", body: { category: "fence", quantity: 30, unit: "m", closes_hazard: hazardId, description: "重新架设铁网" } });
  record("outreach", { occurred_at: "2024-03-04T15:00:00+08:00", body: { village: "田蓬村", audience: 45, topic: "禁毒宣传", description: "" } });
  phone = await openPhone({ home });
  driver = phone.driver;
}, STEP);

after(() => closePhone(phone));

const { afterPaint, shot, unlockAs } = windowHelpers(() => driver);

/**
 * Taps the first element of `selector` that is shown (a screen kept alive behind the current
 * one holds hidden copies). Through the page's own click: WebKit's WebDriver places its pointer
 * without the page zoom that the larger text sizes set.
 */
async function click(selector) {
  await driver.wait(
    () =>
      driver.executeScript(
        `const element = [...document.querySelectorAll(arguments[0])].find((e) => e.getClientRects().length > 0);
         if (!element) return false;
         element.scrollIntoView({ block: "center" });
         element.click();
         return true;`,
        selector,
      ),
    10_000,
    `${selector} shown`,
  );
}

/** The screens, each opened by its route and ready when its element shows. */
const SCREENS = [
  ["home", "#/", "home-summary"],
  ["patrol", "#/patrol", "patrol-start|patrol-live"],
  ["hazard", "#/hazard", "hazard-screen"],
  ["repair", "#/repair", "repair-screen"],
  ["incident", "#/incident", "incident-screen"],
  ["outreach", "#/outreach", "outreach-screen"],
  ["activity", "#/activity", "activity-screen"],
  ["patrol write-up", "#/patrol/write-up", "patrolWriteUp-screen"],
  ["log", "#/log", "entry-row"],
  ["entry", () => `#/entry/${hazardId}`, "entry-history"],
  ["hazard edit", () => `#/hazard/${hazardId}/edit`, "hazard-screen"],
  ["month", "#/month", "month-screen"],
  ["sync", "#/sync", "sync-screen"],
  ["settings", "#/settings", "settings-roster-name"],
];

async function open(hash, ready) {
  await driver.executeScript("location.hash = arguments[0]", typeof hash === "function" ? hash() : hash);
  const selector = ready.split("|").map(test$).join(", ");
  await driver.wait(
    () => driver.executeScript("return [...document.querySelectorAll(arguments[0])].some((e) => e.getClientRects().length > 0)", selector),
    15_000,
    `${hash} ready`,
  );
  await afterPaint();
  await driver.sleep(300); // the thumbnails and the position arrive
}

/** Measures the screen scrolled through from top to bottom (what is off screen too). */
async function shortfalls(screen) {
  const found = new Map();
  const height = await driver.executeScript("return document.documentElement.scrollHeight");
  for (let top = 0; ; top += 500) {
    await driver.executeScript("window.scrollTo(0, arguments[0])", top);
    for (const problem of await measureScreen(driver)) found.set(`${problem.rule} ${problem.what}`, problem);
    if (top + 640 >= height) break;
  }
  return describeProblems(screen, [...found.values()]);
}

async function measureEveryScreen(width, height, textSize = "标准") {
  await driver.manage().window().setRect({ width, height });
  const at = `${width}×${height} ${textSize}`;
  const report = [];
  for (const [screen, hash, ready] of SCREENS) {
    await open(hash, ready);
    const problems = await shortfalls(`${screen} ${at}`);
    console.log(problems || `${screen} ${at}: all well`);
    if (problems) report.push(problems);
  }
  // A dialog and a menu as they open over a screen.
  await open(() => `#/entry/${hazardId}`, "entry-history");
  await click(test$("entry-delete"));
  await driver.wait(
    () => driver.executeScript("return [...document.querySelectorAll('.van-dialog')].some((d) => d.offsetParent !== null || getComputedStyle(d).display !== 'none')"),
    10_000,
    "the delete dialog",
  );
  await driver.sleep(400);
  const dialog = await shortfalls(`delete dialog ${at}`);
  if (dialog) report.push(dialog);
  await click(".van-dialog__cancel");
  await open("#/log", "entry-row");
  await click(".van-dropdown-menu__item");
  await driver.sleep(400);
  const menu = await shortfalls(`log kind menu ${at}`);
  if (menu) report.push(menu);
  await click(".van-dropdown-item .van-overlay");
  // The dates menu, and its date wheels open over it.
  await click(".van-dropdown-menu__item:nth-of-type(3)");
  await driver.sleep(400);
  const dates = await shortfalls(`log dates menu ${at}`);
  if (dates) report.push(dates);
  await click(test$("log-since-field"));
  await driver.sleep(400);
  const wheels = await shortfalls(`log date wheels ${at}`);
  if (wheels) report.push(wheels);
  await click(`${test$("log-since-picker")} .van-picker__cancel`);
  await driver.sleep(400);
  await click(".van-dropdown-item .van-overlay");
  return report.join("\n");
}

test("the lock screen: targets, text and labels", STEP, async () => {
  await driver.wait(until.elementLocated(css(test$("lock-screen"))), 30_000);
  assert.equal(await shortfalls("lock 360×640"), "");
  await unlockAs("李国华", "2580");
});

test("every screen at 360×640 and 320×568: targets ≥ 48 px, text ≥ 14 px, short labels whole", STEP, async () => {
  const report = [await measureEveryScreen(360, 640), await measureEveryScreen(320, 568)].filter(Boolean).join("\n");
  assert.equal(report, "", `\n${report}`);
});

test("a running patrol's screen", STEP, async () => {
  await driver.manage().window().setRect({ width: 360, height: 640 });
  await open("#/patrol", "patrol-start");
  await click(test$("patrol-member-李国华"));
  await click(test$("partner-add"));
  assert.equal(await shortfalls("patrol form with a partner 360×640"), "");
  await click(test$("patrol-start"));
  await driver.wait(until.elementLocated(css(test$("patrol-live"))), 10_000);
  await driver.sleep(2500); // the toast 巡逻已开始 fades
  assert.equal(await shortfalls("patrol running 360×640"), "");
  await open("#/", "home-summary");
  assert.equal(await shortfalls("home with a patrol 360×640"), "");
});

test("at 特大 text size, chosen in Settings, every screen still holds: nothing small, no label broken", STEP, async () => {
  await driver.manage().window().setRect({ width: 360, height: 640 });
  await open("#/settings", "settings-roster-name");
  await click(test$("settings-text-size-extra_large"));
  await driver.wait(async () => (await driver.executeScript("return getComputedStyle(document.documentElement).zoom")) === "1.3", 10_000, "the page scaled");
  await shot("settings-extra-large-360x640.png");
  const report = await measureEveryScreen(360, 640, "特大");
  await open("#/", "home-summary");
  await shot("home-extra-large-360x640.png");
  assert.equal(report, "", `\n${report}`);
});

test("high contrast, chosen in Settings, is kept after a restart of the screen and can be turned off", STEP, async () => {
  await open("#/settings", "settings-roster-name");
  await click(test$("settings-high-contrast"));
  await driver.wait(
    async () => driver.executeScript("return document.documentElement.classList.contains('pl-high-contrast')"),
    10_000,
    "high contrast on",
  );
  await driver.navigate().refresh();
  await driver.wait(
    async () => (await driver.findElements(css(`${test$("lock-screen")}, ${test$("sync-chip")}`))).length > 0,
    30_000,
    "the app again",
  );
  if ((await driver.findElements(css(test$("lock-screen")))).length > 0) await unlockAs("李国华", "2580");
  assert.equal(await driver.executeScript("return document.documentElement.classList.contains('pl-high-contrast')"), true, "kept");
  assert.equal(await driver.executeScript("return getComputedStyle(document.documentElement).zoom"), "1.3", "the text size kept too");
  await open("#/", "home-summary");
  await shot("home-high-contrast-extra-large-360x640.png");
  await open("#/settings", "settings-roster-name");
  await click(test$("settings-high-contrast"));
  await click(test$("settings-text-size-standard"));
  await driver.wait(async () => (await driver.executeScript("return getComputedStyle(document.documentElement).zoom")) === "1", 10_000, "standard again");
  assert.equal(await driver.executeScript("return document.documentElement.classList.contains('pl-high-contrast')"), false);
});
