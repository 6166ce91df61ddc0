// A shared phone in the real app window at 360×640: the post leader sets up the phone on the
// lock screen and adds a member, each records a hazard while unlocked (the store holds each under
// its author, read with the CLI), a wrong PIN says so in Chinese, the leader resets the member's
// forgotten PIN and the member sets a new one, and the app locks itself after the idle time
// chosen in Settings (1 分钟) with nothing of an entry left on screen.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { until } from "selenium-webdriver";
import { cliBinary, closePhone, openPhone } from "./harness.mjs";
import { css, test$, windowHelpers } from "./window.mjs";

let home;
let phone;
let driver;

const STEP = { timeout: 180_000 };

before(async () => {
  phone = await openPhone();
  ({ home, driver } = phone);
}, STEP);

after(() => closePhone(phone));

const { textOf, click, type, waitForRoute, shot, unlockAs } = windowHelpers(() => driver);

/** The entries in the store, read with the CLI beside the running app. */
function storedEntries() {
  const result = spawnSync(cliBinary, ["--data-dir", home.dataDir, "list", "--json"], { encoding: "utf8", timeout: 30_000 });
  if (result.error) throw result.error;
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout).entries;
}

async function goTab(name, hash) {
  if ((await driver.findElements(css(test$(`tab-${name}`)))).length === 0) {
    await driver.executeScript("location.hash = arguments[0]", hash);
    await driver.wait(until.elementLocated(css(test$(`tab-${name}`))), 10_000);
  }
  await click(test$(`tab-${name}`));
  await waitForRoute(hash);
}

async function recordHazard(description) {
  await goTab("home", "#/");
  await click(test$("home-new-hazard"));
  await waitForRoute("#/hazard");
  await click(test$("hazard-category-fence"));
  await click(test$("hazard-severity-high"));
  await type(`${test$("hazard-description")} textarea`, description);
  await click(test$("form-save"));
  await waitForRoute("#/", 15_000);
}

async function lockScreenShown() {
  const screens = await driver.findElements(css(test$("lock-screen")));
  return screens.length > 0 && (await screens[0].isDisplayed());
}

test("the post leader sets up a fresh phone and adds a member", STEP, async () => {
  await driver.wait(until.elementLocated(css(test$("lock-screen"))), 30_000);
  assert.equal(await textOf(test$("lock-title")), "第一次使用：设置负责人");
  await shot("lock-first-member-360x640.png");
  await unlockAs("李国华", "2580");
  await goTab("settings", "#/settings");
  assert.match(await textOf(test$("settings-current-member")), /李国华（负责人）/);
  await type(`${test$("settings-roster-name")} input`, "王明");
  await click(test$("settings-roster-add"));
  await driver.wait(async () => (await driver.findElements(css(test$("settings-roster-row")))).length === 2, 10_000);
  const rows = await driver.executeScript(
    "return [...document.querySelectorAll('[data-test=\"settings-roster-row\"]')].map((row) => row.innerText)",
  );
  assert.match(rows[1], /王明[\s\S]*待设置 PIN/, JSON.stringify(rows));
});

test("each member's entry is theirs: 李国华 records, 换人, 王明 sets his PIN and records", STEP, async () => {
  await recordHazard("铁网被洪水冲毁约30米");
  await click(test$("home-switch"));
  await driver.wait(lockScreenShown, 10_000);
  assert.equal(await textOf(test$("lock-title")), "谁在使用这部手机？");
  assert.equal(await driver.findElement(css(test$("home-summary"))).isDisplayed(), false, "Home is hidden");
  await shot("lock-who-360x640.png");
  await unlockAs("王明", "1357");
  assert.match(await textOf(test$("home-member")), /王明/);
  await recordHazard("界碑123附近铁网松动");
  const authors = Object.fromEntries(storedEntries().map((entry) => [entry.title, entry.author]));
  const byDescription = (text) => Object.entries(authors).find(([title]) => title.includes(text))?.[1];
  assert.equal(byDescription("洪水冲毁"), "李国华", JSON.stringify(authors));
  assert.equal(byDescription("铁网松动"), "王明", JSON.stringify(authors));
});

test("a wrong PIN says so in Chinese and unlocks nothing", STEP, async () => {
  await click(test$("home-switch"));
  await driver.wait(lockScreenShown, 10_000);
  await click(test$("lock-member-王明"));
  await type(test$("lock-pin"), "0000");
  await click(test$("lock-submit"));
  await driver.wait(until.elementLocated(css(test$("lock-error"))), 10_000);
  assert.equal(await textOf(test$("lock-error")), "PIN 不对，还可以再试 4 次");
  assert.ok(await lockScreenShown(), "still locked");
  await shot("lock-wrong-pin-360x640.png");
  await click(test$("lock-back"));
  await unlockAs("李国华", "2580");
});

test("the leader resets 王明's forgotten PIN and 王明 sets a new one", STEP, async () => {
  await goTab("settings", "#/settings");
  await click(test$("settings-reset-pin-王明"));
  await driver.wait(until.elementLocated(css(".van-dialog__confirm")), 10_000);
  assert.match(await textOf(".van-dialog__message"), /重置“王明”的 PIN？/);
  await click(".van-dialog__confirm");
  await driver.wait(async () => (await driver.findElements(css(test$("settings-reset-pin-王明")))).length === 0, 10_000);
  await click(test$("settings-lock"));
  await driver.wait(lockScreenShown, 10_000);
  await click(test$("lock-member-王明"));
  assert.equal(await textOf(test$("lock-title")), "王明，请设置 PIN");
  await click(test$("lock-back"));
  await unlockAs("王明", "8642");
  // The screen left behind is shown again, for the member now holding the phone.
  assert.match(await textOf(test$("settings-current-member")), /王明/);
  assert.equal(storedEntries().length, 2, "no entry lost to the reset");
});

test("with 1 分钟 chosen in Settings the app locks itself when left alone", STEP, async () => {
  await goTab("settings", "#/settings");
  await click(test$("settings-idle-1"));
  await driver.wait(
    async () => (await driver.findElement(css(test$("settings-idle-1"))).getAttribute("aria-pressed")) === "true",
    10_000,
  );
  await goTab("log", "#/log");
  await driver.wait(until.elementLocated(css(test$("entry-row"))), 10_000);
  const leftAt = Date.now();
  await driver.wait(lockScreenShown, 100_000, "the idle lock");
  const lockedAfter = Date.now() - leftAt;
  console.log(`locked itself ${lockedAfter} ms after the last touch`);
  assert.ok(lockedAfter >= 55_000, `not before the minute: ${lockedAfter} ms`);
  // Nothing of an entry is visible: the screens behind are hidden.
  const visibleRows = await driver.executeScript(
    "return [...document.querySelectorAll('[data-test=\"entry-row\"]')].filter((row) => row.offsetParent !== null).length",
  );
  assert.equal(visibleRows, 0);
  const text = await driver.executeScript("return document.body.innerText");
  assert.doesNotMatch(text, /铁网/, "no entry text on screen");
  await shot("lock-idle-360x640.png");
});
