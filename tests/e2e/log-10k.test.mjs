// The log with 10,000 entries in the real window at 360×640: the first page comes at once, pages
// follow by the keyset cursor as the member scrolls (no repeats, newest first), and a Chinese
// search finds one entry among them. Timings are printed, not asserted (docs/benchmarks.md
// style: figures, not timed assertions).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { By, until } from "selenium-webdriver";
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

async function rows() {
  return driver.executeScript(
    "return [...document.querySelectorAll('[data-test=\"entry-row\"]')].map((r) => [r.dataset.entryId, r.textContent])",
  );
}

test("pages of the 10,000 follow one another as the member scrolls, newest first, none twice", async () => {
  const tab = await driver.wait(until.elementLocated(By.css('[data-test="tab-log"]')), 30_000);
  let started = Date.now();
  await tab.click();
  await driver.wait(async () => (await rows()).length > 0, 30_000, "the first page");
  console.log(`first page shown ${Date.now() - started} ms after opening the log`);
  const first = await rows();
  assert.match(first[0][1], new RegExp(`第${COUNT - 1}号隐患`), "the newest entry first");

  const pageTimes = [];
  let shown = first.length;
  while (shown < 600) {
    started = Date.now();
    await driver.executeScript("window.scrollTo(0, document.body.scrollHeight)");
    await driver.wait(async () => (await rows()).length > shown, 20_000, `more than ${shown} rows`);
    pageTimes.push(Date.now() - started);
    shown = (await rows()).length;
  }
  const all = await rows();
  assert.equal(new Set(all.map(([id]) => id)).size, all.length, "no entry twice");
  const numbers = all.map(([, text]) => Number(/第(\d+)号/.exec(text)?.[1]));
  assert.deepEqual(
    numbers,
    numbers.map((_, i) => COUNT - 1 - i),
    "newest first, none skipped",
  );
  pageTimes.sort((a, b) => a - b);
  console.log(
    `${all.length} rows in ${pageTimes.length} scrolls; per scroll median ${pageTimes[pageTimes.length >> 1]} ms, max ${pageTimes[pageTimes.length - 1]} ms`,
  );
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
  // The third title of the filter bar opens the dates.
  await driver.findElement(By.css(".van-dropdown-menu__bar .van-dropdown-menu__item:nth-of-type(3)")).click();
  for (const [name, day] of [
    ["log-since", "2024-03-01"],
    ["log-until", "2024-03-02"],
  ]) {
    const input = await driver.wait(until.elementLocated(By.css(`[data-test="${name}"] input`)), 10_000);
    await driver.wait(until.elementIsVisible(input), 10_000);
    // The value a date input holds is always YYYY-MM-DD, whatever the picker shows.
    await driver.executeScript(
      "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
      input,
      day,
    );
  }
  await saveScreenshot(driver, "log-10k-date-filter-360x640.png");
  await driver.findElement(By.css('[data-test="log-apply-dates"]')).click();
  // 2 days of one entry an hour, in this machine's zone: 48 entries, newest first.
  await driver.wait(async () => {
    const found = await rows();
    return found.length > 0 && found.every(([, text]) => /2024-03-0[12]/.test(text));
  }, 20_000, "only 1 and 2 March");
  await driver.executeScript("window.scrollTo(0, document.body.scrollHeight)");
  await driver.wait(until.elementLocated(By.css(".van-list__finished-text")), 20_000);
  const found = await rows();
  assert.ok(found.every(([, text]) => /2024-03-0[12]/.test(text)), "every row in the range");
  assert.equal(found.length, 48, "one an hour for two days");
});
