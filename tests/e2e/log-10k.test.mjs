// The log with 10,000 entries in the real window at 360×640: the first page comes at once, pages
// follow by the keyset cursor as the member scrolls through all of them (none twice, none
// skipped, newest first), and a Chinese search finds one entry among them. The log is a virtual
// list (only the rows near the screen are in the DOM), so rows are gathered while scrolling.
// Timings are printed, not asserted (docs/benchmarks.md style: figures, not timed assertions).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { By, until } from "selenium-webdriver";
import { windowHelpers } from "./window.mjs";
import { cliBinary, makeDataHome, openApp, removeDataHome, saveScreenshot, startTauriDriver } from "./harness.mjs";

const COUNT = 10_000;
const CATEGORIES = ["road", "landslide", "water", "power", "fence", "camera", "crossing", "other"];
const SEVERITIES = ["low", "medium", "high", "critical"];

let dataHome;
let tauriDriver;
let driver;

before(async () => {
  const home = makeDataHome();
  dataHome = home.dataHome;
  const lines = [];
  for (let i = 0; i < COUNT; i++) {
    // One an hour from 2024-01-01 08:00 Beijing time: entry i is newer than entry i-1.
    const at = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString().replace(".000Z", "+00:00");
    lines.push(
      JSON.stringify({
        kind: "hazard",
        occurred_at: at,
        location: { lat: 23.6 + (i % 100) / 1000, lon: 105.6 },
        body: { category: CATEGORIES[i % 8], severity: SEVERITIES[i % 4], description: `第${i}号隐患 巡查记录` },
      }),
    );
  }
  const input = join(dataHome, "entries.jsonl");
  writeFileSync(input, `${lines.join("\n")}\n`);
  const started = Date.now();
  const result = spawnSync(cliBinary, ["--data-dir", home.dataDir, "record", "--jsonl", input], {
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`patrol record --jsonl exited ${result.status}: ${result.stderr}`);
  console.log(`recorded ${COUNT} entries with the CLI in ${Date.now() - started} ms`);

  tauriDriver = await startTauriDriver({ XDG_DATA_HOME: dataHome });
  driver = await openApp();
  await driver.manage().window().setRect({ width: 360, height: 640 });
  // A fresh phone: its first member sets up the post leader on the lock screen.
  await windowHelpers(() => driver).unlockAs("李国华", "2580");
  await driver.manage().setTimeouts({ script: 600_000 });
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

const { click, pickDay } = windowHelpers(() => driver);

/** The day a date filter shows (its field's text). */
async function dayShown(name) {
  return driver.executeScript(`return document.querySelector('[data-test="${name}-field"] input').value`);
}

async function rows() {
  return driver.executeScript(
    "return [...document.querySelectorAll('[data-test=\"entry-row\"]')].map((r) => [r.dataset.entryId, r.textContent])",
  );
}

/**
 * Scrolls the log from its top to its end inside the page, as a member flicking through it
 * would, and returns every row seen on the way, in list order: [index, id, text] (a row's
 * `data-index` is its place among the loaded entries). Each step brings the last row in the DOM
 * to the top of the window, so consecutive screens share a row and none can be stepped over;
 * at the end of what is loaded it waits for the next page (van-list asks for it by the keyset
 * cursor) until the list says there is no more.
 */
const COLLECT_ROWS = `
const done = arguments[arguments.length - 1];
const seen = new Map();
const conflicts = [];
const list = () => document.querySelector('[data-test="log-list"]');
const rendered = () => [...document.querySelectorAll('[data-test="entry-row"]')];
const finished = () => document.querySelector('.van-list__finished-text') !== null;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
(async () => {
  window.scrollTo(0, 0);
  await frame();
  const started = performance.now();
  let steps = 0;
  let maxSeen = -1;
  let lastProgress = performance.now();
  let mostInDom = 0;
  for (;;) {
    const shown = rendered();
    mostInDom = Math.max(mostInDom, shown.length);
    for (const row of shown) {
      const index = Number(row.dataset.index);
      const before = seen.get(index);
      if (before && before[0] !== row.dataset.entryId) conflicts.push([index, before[0], row.dataset.entryId]);
      seen.set(index, [row.dataset.entryId, row.textContent]);
    }
    const indexes = shown.map((row) => Number(row.dataset.index));
    const max = indexes.length ? Math.max(...indexes) : -1;
    if (max > maxSeen) { maxSeen = max; lastProgress = performance.now(); }
    const loaded = Number(list()?.dataset.loaded ?? 0);
    if (finished() && maxSeen === loaded - 1) break;
    if (performance.now() - lastProgress > 20000) break;
    const last = shown.find((row) => Number(row.dataset.index) === max);
    const by = last ? Math.floor(last.getBoundingClientRect().top) : 0;
    if (by > 0) { window.scrollBy(0, by); steps += 1; }
    await frame();
  }
  done({
    rows: [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([index, [id, text]]) => [index, id, text]),
    loaded: Number(list()?.dataset.loaded ?? 0),
    finished: finished(),
    conflicts,
    steps,
    mostInDom,
    ms: performance.now() - started,
  });
})().catch((error) => done({ error: String(error) }));
`;

async function scrollThroughLog() {
  const result = await driver.executeAsyncScript(COLLECT_ROWS);
  if (result.error) throw new Error(`scrolling the log: ${result.error}`);
  return result;
}

test("pages of the 10,000 follow one another as the member scrolls, newest first, none twice", async () => {
  const tab = await driver.wait(until.elementLocated(By.css('[data-test="tab-log"]')), 30_000);
  const started = Date.now();
  await tab.click();
  await driver.wait(async () => (await rows()).length > 0, 30_000, "the first page");
  console.log(`first page shown ${Date.now() - started} ms after opening the log`);
  const first = await rows();
  assert.match(first[0][1], new RegExp(`第${COUNT - 1}号隐患`), "the newest entry first");

  const browsed = await scrollThroughLog();
  assert.deepEqual(browsed.conflicts, [], "a place in the list always holds the same entry");
  assert.ok(browsed.finished, "the list says there is no more");
  assert.equal(browsed.loaded, COUNT, "every entry loaded");
  const all = browsed.rows;
  assert.deepEqual(
    all.map(([index]) => index),
    all.map((_, i) => i),
    "every place in the list seen while scrolling, none stepped over",
  );
  assert.equal(all.length, COUNT, "all 10,000 rows seen");
  assert.equal(new Set(all.map(([, id]) => id)).size, all.length, "no entry twice");
  const numbers = all.map(([, , text]) => Number(/第(\d+)号/.exec(text)?.[1]));
  assert.deepEqual(
    numbers,
    numbers.map((_, i) => COUNT - 1 - i),
    "newest first, none skipped",
  );
  console.log(
    `${all.length} rows seen in ${(browsed.ms / 1000).toFixed(1)} s of scrolling (${browsed.steps} steps); ` +
      `at most ${browsed.mostInDom} rows in the DOM at once`,
  );
  assert.ok(browsed.mostInDom < 100, `a virtual list: ${browsed.mostInDom} rows in the DOM at once`);
  await saveScreenshot(driver, "log-10k-scrolled-360x640.png");
});

test("a Chinese search finds the one entry among the 10,000", async () => {
  await driver.executeScript("window.scrollTo(0, 0)");
  const search = await driver.findElement(By.css('[data-test="log-search"] input'));
  await search.sendKeys("第4242号");
  const started = Date.now();
  await search.sendKeys("\uE007"); // Enter
  await driver.wait(async () => {
    const found = await rows();
    return found.length === 1 && /第4242号隐患/.test(found[0][1]);
  }, 20_000, "one row: 第4242号隐患");
  console.log(`search answered in ${Date.now() - started} ms`);
  await saveScreenshot(driver, "log-10k-search-360x640.png");
});

test("the date filter keeps the days chosen", async () => {
  await driver.executeScript("window.scrollTo(0, 0)");
  const search = await driver.findElement(By.css('[data-test="log-search"] input'));
  await driver.executeScript(
    "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
    search,
  );
  await search.sendKeys("\uE007");
  await driver.wait(async () => (await rows()).length > 1, 20_000, "the whole log again");
  // The third title of the filter bar opens the dates; each is chosen on the date wheels.
  await driver.findElement(By.css(".van-dropdown-menu__bar .van-dropdown-menu__item:nth-of-type(3)")).click();
  await driver.wait(until.elementIsVisible(await driver.findElement(By.css('[data-test="log-since-field"]'))), 10_000);
  await driver.sleep(400); // the menu slides down; a tap while it moves lands beside the field
  for (const [name, day] of [
    ["log-since", "2024-03-01"],
    ["log-until", "2024-03-02"],
  ]) {
    await pickDay(name, day);
    // Shown as the member's day, YYYY-MM-DD, not the webview's own date format.
    assert.equal(await dayShown(name), day, `${name} shows the day picked`);
  }
  await saveScreenshot(driver, "log-10k-date-filter-360x640.png");
  // The wheels open on the day chosen.
  await click('[data-test="log-until-field"]');
  await driver.wait(until.elementIsVisible(await driver.findElement(By.css('[data-test="log-until-picker"]'))), 10_000);
  await driver.sleep(400);
  const wheels = await driver.executeScript(
    "return [...document.querySelectorAll('[data-test=\"log-until-picker\"] .van-picker-column__item--selected')].map((row) => row.textContent.trim())",
  );
  assert.deepEqual(wheels, ["2024", "03", "02"], "the wheels stand on the day chosen");
  await saveScreenshot(driver, "log-10k-date-wheels-360x640.png");
  await click('[data-test="log-until-picker"] .van-picker__cancel');
  await driver.sleep(400);
  await click('[data-test="log-apply-dates"]');
  // 2 days of one entry an hour, in this machine's zone: 48 entries, newest first.
  await driver.wait(async () => {
    const found = await rows();
    return found.length > 0 && found.every(([, text]) => /2024-03-0[12]/.test(text));
  }, 20_000, "only 1 and 2 March");
  const browsed = await scrollThroughLog();
  assert.ok(browsed.finished, "the list says there is no more");
  const found = browsed.rows.map(([, , text]) => text);
  assert.ok(found.every((text) => /2024-03-0[12]/.test(text)), "every row in the range");
  assert.equal(new Set(browsed.rows.map(([, id]) => id)).size, found.length, "no entry twice");
  assert.equal(found.length, 48, "one an hour for two days");
});
