// The member's journeys, measured (issue 12): the taps and seconds to record a hazard with a
// photo from the home screen, and the app's memory over an 8-hour patrol while the member moves
// between screens — the real window through tauri-driver + WebKitWebDriver, under Xvfb, on a
// fresh store. A command that prints figures, never a test:
//
//   cd tests/e2e && xvfb-run -a -s "-screen 0 1280x1024x24" node bench-journeys.mjs --app ../../target/release/patrol-log
//
// Options: --app PATH (default target/release/patrol-log), --cli PATH (default the `patrol` next
// to the app), --runs N (hazard journeys, 5), --hours H (simulated patrol, 8), --json FILE.
// The GPS is the page's stand-in (window.mjs `installFakeGps`): one fix every 5 s of simulated
// time, a walk at 1.4 m/s along the border road, fed as fast as the app records them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { until } from "selenium-webdriver";
import { appIdentifier, openApp, repoRoot, startTauriDriver, writeTestPng } from "./harness.mjs";
import { appProcessUnder, memoryOf } from "./procfs.mjs";
import { css, test$, windowHelpers } from "./window.mjs";

function parseArgs(argv) {
  const options = { app: join(repoRoot, "target", "release", "patrol-log"), cli: null, runs: 5, hours: 8, json: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--app") options.app = resolve(value());
    else if (arg === "--cli") options.cli = resolve(value());
    else if (arg === "--runs") options.runs = Number(value());
    else if (arg === "--hours") options.hours = Number(value());
    else if (arg === "--json") options.json = resolve(value());
    else if (arg === "--help" || arg === "-h") {
      console.log(readFileSync(new URL(import.meta.url), "utf8").split("\n").slice(0, 11).join("\n"));
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (--help)`);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error("--runs must be a whole number ≥ 1");
  if (!(options.hours > 0)) throw new Error("--hours must be more than 0");
  options.cli ??= [join(dirname(options.app), "patrol"), join(repoRoot, "target", "debug", "patrol")].find((path) => existsSync(path));
  return options;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Medians and ranges. */
function stats(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return { median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, min: sorted[0], max: sorted.at(-1) };
}
function cell(values, unit, digits = 0) {
  const s = stats(values);
  return s ? `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})` : "–";
}

/** The entries the store holds (the CLI beside the running app; SQLite WAL: no lock). */
function storedEntries(cli, dataDir) {
  const result = spawnSync(cli, ["--data-dir", dataDir, "list", "--json", "--limit", "500"], { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) throw new Error(`patrol list: ${result.stderr}`);
  return JSON.parse(result.stdout).entries;
}

// ---------------------------------------------------------------------------------------------
// The hazard with a photo

/**
 * One hazard recorded as a member does it, counted tap by tap: the 隐患排查 tile, a category, a
 * severity, the description (a tap, then typed), 拍照 (here the file input: on a phone the
 * camera opens and its shutter is one more tap), and 保存. The GPS gives a fix when the form
 * asks. Times are node's clock around each WebDriver step, so they hold WebDriver's own round
 * trips (a few ms each) as well as the app's work.
 */
async function hazardJourney(session, photo, index) {
  const { click, type, waitForRoute, gpsFix } = session.helpers;
  const { driver } = session;
  const steps = [];
  let taps = 0;
  const step = async (what, action, tapCount = 1) => {
    const started = Date.now();
    await action();
    taps += tapCount;
    steps.push({ what, ms: Date.now() - started });
  };
  const description = "铁网被洪水冲毁约30米";
  const started = Date.now();
  await step("tap 隐患排查 → the form", async () => {
    await click(test$("home-new-hazard"));
    await waitForRoute("#/hazard");
    await driver.wait(until.elementLocated(css(test$("hazard-category-fence"))), 10_000);
  });
  await gpsFix(23.6251 + index * 0.001, 105.6312, 6);
  await step("tap a category", () => click(test$("hazard-category-fence")));
  await step("tap a severity", () => click(test$("hazard-severity-high")));
  await step(`tap the description, type ${[...description].length} characters`, () => type(`${test$("hazard-description")} textarea`, description));
  await step(
    "拍照 (the file input; on a phone also the camera's shutter) → thumbnail shown",
    async () => {
      await driver.findElement(css(test$("hazard-photos-input"))).sendKeys(photo);
      await driver.wait(async () => (await driver.findElements(css(`${test$("hazard-photos")} ${test$("photo-thumb")}`))).length > 0, 60_000, "the thumbnail");
    },
    2,
  );
  await driver.wait(
    async () => (await driver.findElement(css(`${test$("location-lat")} input`)).getAttribute("value")) !== "",
    10_000,
    "the GPS position in the form",
  );
  await step("tap 保存 → home", async () => {
    await click(test$("form-save"));
    await waitForRoute("#/", 30_000);
  });
  return { taps, typedCharacters: [...description].length, totalMs: Date.now() - started, steps };
}

// ---------------------------------------------------------------------------------------------
// The 8-hour patrol

/** Feeds `count` fixes, one every 5 s of simulated time from `startAt`, walking north 7 m a fix. */
async function walk(session, from, count, startAt) {
  const script = `
    const [from, count, startAt] = arguments;
    for (let i = 0; i < count; i++) {
      const n = from + i;
      window.__fakeGps.fix(23.6251 + n * 0.000063, 105.6312 + Math.sin(n / 50) * 0.0002, 6, startAt + n * 5000);
    }
    return true;`;
  await session.driver.executeScript(script, from, count, startAt);
}

async function waitForPoints(session, points, timeout = 600_000) {
  const { textOf } = session.helpers;
  await session.driver.wait(async () => Number(await textOf(test$("patrol-points"))) >= points, timeout, `${points} track points`);
}

/** The member's screens during a patrol hour: home, a hazard form opened and left, the log, the month, back to the patrol. */
async function visitScreens(session) {
  const { click, waitForRoute } = session.helpers;
  const { driver } = session;
  const open = async (hash, ready) => {
    await driver.executeScript(`location.hash = '${hash}'`);
    await waitForRoute(hash);
    await driver.wait(until.elementLocated(css(test$(ready))), 15_000);
  };
  await open("#/", "home-summary");
  await click(test$("home-new-hazard"));
  await waitForRoute("#/hazard");
  await open("#/log", "log-list");
  await open("#/month", "month-screen");
  await open("#/patrol", "patrol-live");
}

async function eightHourPatrol(session, appPid, hours) {
  const { click } = session.helpers;
  const { driver } = session;
  await driver.executeScript("location.hash = '#/patrol'");
  await driver.wait(until.elementLocated(css(`${test$("patrol-start")}:not([disabled])`)), 15_000);
  const startAt = Date.now();
  await session.helpers.gpsFix(23.6251, 105.6312, 6, startAt);
  await click(test$("patrol-start"));
  await driver.wait(until.elementLocated(css(test$("patrol-live"))), 15_000);
  await sleep(2000);
  const samples = [{ hour: 0, points: 1, ...memoryOf(appPid) }];
  const fixesPerHour = 720;
  const started = Date.now();
  // The fix the patrol started on is its first point.
  let fed = 1;
  for (let hour = 1; hour <= hours; hour++) {
    // Two screen tours an hour, the fixes of each half hour fed between them.
    for (let half = 0; half < 2; half++) {
      const count = fixesPerHour / 2;
      await walk(session, fed, count, startAt);
      fed += count;
      await visitScreens(session);
      await waitForPoints(session, fed);
    }
    await sleep(1000);
    const memory = memoryOf(appPid);
    samples.push({ hour, points: fed, ...memory });
    console.error(`patrol hour ${hour}: ${fed} points, PSS ${memory.totalPssMiB?.toFixed(0)} MiB, RSS ${memory.totalRssMiB.toFixed(0)} MiB`);
  }
  const points = Number(await session.helpers.textOf(test$("patrol-points")));
  const distance = await session.helpers.textOf(test$("patrol-distance"));
  return { hours, fed, points, distance, wallMs: Date.now() - started, samples };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(options.app)) throw new Error(`no app at ${options.app}: cargo build --release -p patrol-log (after npm run build in ui/)`);
  if (!options.cli) throw new Error("no patrol CLI: cargo build --release -p patrol-cli, or --cli");
  if (!process.env.DISPLAY) throw new Error('no DISPLAY: run under xvfb-run -a -s "-screen 0 1280x1024x24"');
  const runDir = mkdtempSync(join(tmpdir(), "patrol-log-journeys-"));
  const dataHome = join(runDir, "data");
  const dataDir = join(dataHome, appIdentifier);
  // A camera-size photo: 4000×3000, as a 12 MP phone takes it (the app makes its 1600 px send version).
  const photo = writeTestPng(join(runDir, "IMG_0001.png"), 4000, 3000);
  const tauriDriver = await startTauriDriver({ XDG_DATA_HOME: dataHome, XDG_CACHE_HOME: join(runDir, "cache") }, options.app);
  let driver;
  try {
    driver = await openApp(options.app);
    await driver.manage().window().setRect({ width: 360, height: 640 });
    await driver.manage().setTimeouts({ script: 600_000 });
    const session = { driver, helpers: windowHelpers(() => driver) };
    await session.helpers.unlockAs("李国华", "2580");
    await session.helpers.installFakeGps();
    const appPid = appProcessUnder(tauriDriver.pid, options.app);
    if (!appPid) throw new Error(`no ${options.app} process under tauri-driver ${tauriDriver.pid}`);
    await sleep(1000);
    const memoryAtHome = memoryOf(appPid);

    const journeys = [];
    for (let i = 0; i < options.runs; i++) {
      const journey = await hazardJourney(session, photo, i);
      journeys.push(journey);
      console.error(`hazard ${i + 1}: ${journey.taps} taps, ${journey.totalMs} ms: ${journey.steps.map((s) => `${s.what} ${s.ms}`).join("; ")}`);
      await sleep(1500);
    }
    const hazards = storedEntries(options.cli, dataDir).filter((entry) => entry.kind === "hazard");
    if (hazards.length !== options.runs || hazards.some((entry) => entry.photo_count !== 1)) {
      throw new Error(`expected ${options.runs} hazards with one photo each, the store has ${JSON.stringify(hazards)}`);
    }

    const patrol = await eightHourPatrol(session, appPid, options.hours);
    if (patrol.points !== patrol.fed) throw new Error(`fed ${patrol.fed} fixes, the patrol shows ${patrol.points} points`);
    const result = { options, memoryAtHome, journeys, patrol };
    if (options.json) writeFileSync(options.json, JSON.stringify(result, null, 2));
    console.log(report(result));
  } finally {
    try {
      if (driver) await driver.quit();
    } catch (error) {
      console.error(`closing the WebDriver session: ${error}`);
    }
    await tauriDriver.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

function report({ options, memoryAtHome, journeys, patrol }) {
  const stepNames = journeys[0].steps.map((s) => s.what);
  const first = patrol.samples[0];
  const last = patrol.samples.at(-1);
  const lines = [
    `Member journeys: app ${options.app}, window 360×640, a fresh store.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadavg().map((l) => l.toFixed(1)).join(" ")} at the end.`,
    "",
    `Hazard with a photo, ${journeys.length} runs (median (min–max)): ${journeys[0].taps} taps (the camera's shutter counted) and ${journeys[0].typedCharacters} characters typed; scripted ${cell(journeys.map((j) => j.totalMs / 1000), "s", 1)}.`,
    "",
    "| step | time (ms) |",
    "|---|---|",
    ...stepNames.map((name, i) => `| ${name} | ${cell(journeys.map((j) => j.steps[i].ms), "ms")} |`),
    "",
    `Patrol of ${patrol.hours} h simulated (${patrol.fed} fixes, one per 5 s; two tours an hour of home, a hazard form, the log, the month), fed in ${(patrol.wallMs / 1000).toFixed(0)} s: the patrol shows ${patrol.points} points, ${patrol.distance}.`,
    "",
    "| hour | points | total PSS (MiB) | total RSS (MiB) |",
    "|---|---|---|---|",
    `| home after unlock | – | ${memoryAtHome.totalPssMiB?.toFixed(0)} | ${memoryAtHome.totalRssMiB.toFixed(0)} |`,
    ...patrol.samples.map((s) => `| ${s.hour} | ${s.points} | ${s.totalPssMiB?.toFixed(0)} | ${s.totalRssMiB.toFixed(0)} |`),
    "",
    `Growth over the patrol: PSS ${(last.totalPssMiB - first.totalPssMiB).toFixed(0)} MiB, RSS ${(last.totalRssMiB - first.totalRssMiB).toFixed(0)} MiB (${last.processes.map((p) => `${p.name} ${p.rssMiB.toFixed(0)}/${p.pssMiB?.toFixed(0) ?? "?"}`).join(", ")} at the end, RSS/PSS).`,
  ];
  return lines.join("\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
