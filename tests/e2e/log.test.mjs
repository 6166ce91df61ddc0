// Smoke test of the real app window: two entries recorded with the CLI show up in the log.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { By, until } from "selenium-webdriver";
import { windowHelpers } from "./window.mjs";
import {
  makeDataHome,
  openApp,
  recordWithCli,
  removeDataHome,
  saveScreenshot,
  startTauriDriver,
} from "./harness.mjs";

const hazard = {
  kind: "hazard",
  occurred_at: "2024-03-02T09:00:00+08:00",
  location: { lat: 23.6251, lon: 105.6312 },
  body: { category: "fence", severity: "high", description: "铁网被洪水冲毁约30米" },
};
const patrol = {
  kind: "patrol",
  occurred_at: "2024-03-02T08:10:00+08:00",
  ended_at: "2024-03-02T11:40:00+08:00",
  body: {
    joint: true,
    members: ["李国华", "王明"],
    partners: [{ unit: "army", count: 3 }],
    markers: ["123"],
    findings: "界碑123附近发现新踩踏便道",
  },
};

let dataHome;
let tauriDriver;
let driver;

before(async () => {
  const home = makeDataHome();
  dataHome = home.dataHome;
  recordWithCli(home.dataDir, "hazard", hazard);
  recordWithCli(home.dataDir, "patrol", patrol);
  tauriDriver = await startTauriDriver({ XDG_DATA_HOME: dataHome });
  driver = await openApp();
  await driver.manage().window().setRect({ width: 360, height: 640 });
  // A fresh phone: its first member sets up the post leader on the lock screen.
  await windowHelpers(() => driver).unlockAs("李国华", "2580");
});

after(async () => {
  try {
    if (driver) await driver.quit();
  } catch (error) {
    console.error(`closing the WebDriver session: ${error}`);
  } finally {
    if (tauriDriver) await tauriDriver.stop();
    if (dataHome) removeDataHome(dataHome);
  }
});

// WebKitWebDriver's Get Element Text leaves out the text of elements with overflow: hidden
// (the nav bar title, a row's time) although they are on screen, as the screenshot shows:
// read what is rendered through the DOM's innerText instead.
async function renderedText(element) {
  return driver.executeScript("return arguments[0].innerText.trim()", element);
}

async function navBarTitle() {
  return renderedText(await driver.wait(until.elementLocated(By.css(".van-nav-bar__title")), 5_000));
}

// Resolves after the browser has painted two frames, so a screenshot shows the DOM as it is
// now rather than the last frame composited (seen: rows in the DOM, "加载中…" on the image).
async function afterPaint() {
  await driver.executeAsyncScript(
    "const done = arguments[arguments.length - 1];" +
      "requestAnimationFrame(() => requestAnimationFrame(() => done()));",
  );
}

async function rowTexts() {
  const rows = await driver.findElements(By.css('[data-test="entry-row"]'));
  return Promise.all(
    rows.map(async (row) => ({ kind: await row.getAttribute("data-kind"), text: await renderedText(row) })),
  );
}

async function openTab(name) {
  const tab = await driver.wait(until.elementLocated(By.css(`[data-test="tab-${name}"]`)), 30_000);
  await tab.click();
}

test("the log shows the entries recorded with the CLI, newest first", async () => {
  await openTab("log");
  await driver.wait(async () => (await rowTexts()).length >= 2, 30_000, "two rows in the log");
  // The last page is in: van-list shows its "no more" line instead of "loading".
  await driver.wait(until.elementLocated(By.css(".van-list__finished-text")), 10_000);
  await afterPaint();
  const shot = await saveScreenshot(driver, "log-360x640.png");
  console.log(`screenshot: ${shot}`);

  assert.equal(await navBarTitle(), "日志");
  assert.equal(await driver.getTitle(), "巡防日志");

  const rows = await rowTexts();
  assert.equal(rows.length, 2, JSON.stringify(rows));
  const [first, second] = rows;
  // Newest first: the 09:00 hazard above the 08:10 patrol.
  assert.equal(first.kind, "hazard");
  assert.match(first.text, /隐患排查/);
  assert.match(first.text, /铁网被洪水冲毁约30米/);
  assert.match(first.text, /2024-03-02 09:00/);
  assert.equal(second.kind, "patrol");
  assert.match(second.text, /巡逻/);
  assert.match(second.text, /2024-03-02 08:10/);
});

test("English can be chosen in Settings and is shown at once", async () => {
  await openTab("settings");
  const english = await driver.wait(until.elementLocated(By.css('[data-test="settings-language-en-US"]')), 10_000);
  // The language is at the foot of Settings, below the fold at 360×640.
  await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", english);
  await english.click();
  await driver.wait(async () => (await navBarTitle()) === "Settings", 5_000, "English title");
  await openTab("log");
  await driver.wait(async () => (await navBarTitle()) === "Log", 5_000, "English log title");
  await driver.wait(async () => (await rowTexts()).length >= 2, 10_000, "two rows in the log");
  const rows = await rowTexts();
  assert.match(rows[0]?.text ?? "", /Hazard/);
  assert.match(rows[1]?.text ?? "", /Patrol/);
  await afterPaint();
  await saveScreenshot(driver, "log-360x640-en.png");
});

test("on a desktop without a location service the patrol says so instead of making a position up", async () => {
  await driver.executeScript("location.hash = '#/patrol'");
  const gps = await driver.wait(until.elementLocated(By.css('[data-test="patrol-gps"]')), 10_000);
  await driver.wait(async () => (await gps.getAttribute("data-state")) === "unavailable", 30_000, "no location");
  assert.match(await renderedText(gps), /No location available|无法获取位置/);
  await afterPaint();
  await saveScreenshot(driver, "patrol-no-location-360x640.png");
});
