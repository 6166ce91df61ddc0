// Bench (run by hand: `npm run bench:map`, not a test): how fast the county dashboard's map
// opens on a demo year. Starts a county with `county-server demo --year Y` (Funing's 12
// posts), builds its basemap archive (`county-server map build`), then opens
// /map five times in headless Chromium, each with a fresh profile (nothing cached), and
// reports the median time from navigation to the first draw with the data loaded (the page's
// `data-drawn-at`: the first frame once both data sources hold the entries) and the bytes received
// (encoded, from the DevTools protocol) — the whole page, and the /map GeoJSON alone — and
// how long the server took to answer /map (the rest is the page: scripts, WebGL, tiling).
// The first run's page is saved as test-artifacts/dashboard/bench-map-<year>.png.
//
//   node bench-map.mjs [--year 2024] [--runs 5]
import { parseArgs } from "node:util";
import { County, checkPrerequisites, logIn, openBrowser, screenshot } from "./harness.mjs";

const { values } = parseArgs({ options: { year: { type: "string", default: "2024" }, runs: { type: "string", default: "5" } } });
const YEAR = Number(values.year);
const RUNS = Number(values.runs);
const GOAL_MS = 2000;
const ADMIN = { username: "bench-admin", password: "bench-pass-2024" };

const median = (numbers) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

async function openMapOnce(county, screenshotName) {
  const browser = await openBrowser();
  try {
    const { page, context } = browser;
    await logIn(page, county.url, ADMIN.username, ADMIN.password);
    const devtools = await context.newCDPSession(page);
    await devtools.send("Network.enable");
    const urls = new Map();
    let total = 0;
    let geojson = 0;
    let archive = 0;
    let serverMs = null;
    let dataEpochMs = null;
    page.on("requestfinished", (request) => {
      if (new URL(request.url()).pathname !== "/api/v1/admin/map") return;
      const timing = request.timing();
      serverMs = Math.round(timing.responseStart - timing.requestStart);
      dataEpochMs = timing.startTime + timing.responseEnd;
    });
    devtools.on("Network.responseReceived", (event) => urls.set(event.requestId, new URL(event.response.url).pathname));
    devtools.on("Network.loadingFinished", (event) => {
      total += event.encodedDataLength;
      const path = urls.get(event.requestId);
      if (path === "/api/v1/admin/map") geojson += event.encodedDataLength;
      if (path === "/api/v1/admin/map/archive") archive += event.encodedDataLength;
    });
    await page.goto(`${county.url}/map`);
    const map = page.locator('[data-testid="map"]');
    await map.and(page.locator('[data-drawn-at]:not([data-drawn-at=""])')).waitFor({ state: "attached", timeout: 120_000 });
    const drawnAt = Number(await map.getAttribute("data-drawn-at"));
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    // Let the last responses finish counting.
    await page.waitForLoadState("networkidle");
    if (screenshotName) await screenshot(page, screenshotName);
    return {
      drawnMs: drawnAt,
      serverMs,
      afterDataMs: dataEpochMs === null ? null : Math.round(timeOrigin + drawnAt - dataEpochMs),
      totalBytes: total,
      geojsonBytes: geojson,
      archiveBytes: archive,
      features: Number(await map.getAttribute("data-features")),
      openHazards: Number(await map.getAttribute("data-open-hazards")),
      basemap: await map.getAttribute("data-basemap"),
      zoomStep: await map.getAttribute("data-zoom-step"),
      errors: browser.pageErrors,
      elsewhere: browser.requestsElsewhere,
    };
  } finally {
    await browser.close();
  }
}

async function main() {
  checkPrerequisites();
  const county = new County();
  try {
    const started = Date.now();
    console.log(county.admin(["demo", "--year", String(YEAR)]).split("\n").pop());
    console.log(`demo made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`map build: ${JSON.stringify(JSON.parse(county.admin(["map", "build", "--data-dir", county.dataDir])))}`);
    county.addAdmin(ADMIN.username, ADMIN.password, "admin");
    await county.start();
    const runs = [];
    for (let run = 1; run <= RUNS; run++) {
      const result = await openMapOnce(county, run === 1 ? `bench-map-${YEAR}` : null);
      runs.push(result);
      console.log(
        `run ${run}: drawn at ${result.drawnMs} ms (the server took ${result.serverMs} ms to answer /map; drawn ${result.afterDataMs} ms after its answer), ${kb(result.totalBytes)} received (GeoJSON ${kb(result.geojsonBytes)}, ` +
          `archive ${kb(result.archiveBytes)}), ${result.features} features, ${result.openHazards} open hazards, ` +
          `basemap ${result.basemap}, zoom step ${result.zoomStep}` +
          (result.errors.length ? `, page errors: ${result.errors.join("; ")}` : "") +
          (result.elsewhere.length ? `, requests elsewhere: ${result.elsewhere.join(" ")}` : ""),
      );
    }
    const drawn = median(runs.map((run) => run.drawnMs));
    console.log(
      `\nmedian of ${RUNS}: first draw ${drawn} ms (goal ≤ ${GOAL_MS} ms: ${drawn <= GOAL_MS ? "met" : "NOT met"}; ` +
        `the server's answer to /map ${median(runs.map((run) => run.serverMs))} ms of it, ` +
        `drawn ${median(runs.map((run) => run.afterDataMs))} ms after that answer), ` +
        `${kb(median(runs.map((run) => run.totalBytes)))} received, GeoJSON ${kb(median(runs.map((run) => run.geojsonBytes)))}, ` +
        `archive ${kb(median(runs.map((run) => run.archiveBytes)))}`,
    );
  } finally {
    await county.stop();
  }
}

await main();
