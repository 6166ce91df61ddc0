// The map over the county's own basemap (MapLibre GL, the PMTiles archive of
// `county-server map build`): without an archive the map says so and still draws the data;
// with one it reads the archive by Range requests, open hazards are drawn above everything
// (a click where an open hazard sits on a patrol track opens the hazard) and the
// 「只看未处理隐患」 switch leaves the open hazards alone.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { County, checkPrerequisites, logIn, openBrowser, screenshot } from "./harness.mjs";

const ADMIN = { username: "county-admin", password: "admin-pass-2024" };
const POST = "田蓬联防所";
/** Where the critical open hazard sits: one of the patrol track's points. */
const ON_TRACK = [23.628, 105.637];
const TRACK = [[23.621, 105.628], [23.624, 105.633], ON_TRACK, [23.633, 105.64]];

const daysAgo = (days) => {
  const when = new Date(Date.now() - days * 24 * 3600 * 1000);
  // Local time of the posts (UTC+8), as the field app writes it.
  const local = new Date(when.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 19);
  return `${local}+08:00`;
};
const place = ([lat, lon]) => ({ lat, lon, accuracy_m: 5 });

let county;
const ids = {};

before(async () => {
  checkPrerequisites();
  county = new County();
  county.addAdmin(ADMIN.username, ADMIN.password, "admin");
  county.addPost(POST);
  await county.start();
  const device = county.enrolDevice(POST, "地图测试手机");
  ids.patrol = device.patrol(["track", "start", "--json", "-"], JSON.stringify({ members: ["李国华"] }));
  for (const [lat, lon] of TRACK) device.patrol(["track", "point", "--lat", String(lat), "--lon", String(lon), "--accuracy", "5"]);
  device.patrol(["track", "stop", "--json", "-"], JSON.stringify({ joint: false, members: ["李国华"], findings: "沿线巡查" }));
  const hazard = (days, at, severity, description) => ({
    kind: "hazard",
    occurred_at: daysAgo(days),
    location: place(at),
    author: "李国华",
    body: { category: "fence", severity, description },
  });
  ids.critical = device.record(hazard(2, ON_TRACK, "critical", "界碑旁铁网被冲毁"));
  ids.oldLow = device.record(hazard(200, [23.6235, 105.6395], "low", "水源池盖板松动"));
  ids.fixed = device.record(hazard(20, [23.6302, 105.6318], "medium", "便道塌方"));
  ids.repair = device.record({
    kind: "repair",
    occurred_at: daysAgo(10),
    location: place([23.6303, 105.6319]),
    author: "李国华",
    body: { category: "road", quantity: 20, unit: "m", description: "修复便道", closes_hazard: ids.fixed },
  });
  const synced = device.sync();
  assert.equal(synced.report.rejected, 0, JSON.stringify(synced));
});

after(async () => {
  await county?.stop();
});

/** The map page, logged in; resolves once the data is drawn and the basemap's state is known. */
async function openMap(browser) {
  const { page } = browser;
  await logIn(page, county.url, ADMIN.username, ADMIN.password);
  await page.goto(`${county.url}/map`);
  const map = page.locator('[data-testid="map"]');
  await map.and(page.locator("[data-basemap]:not([data-basemap=''])")).waitFor({ state: "attached", timeout: 20_000 });
  await map.and(page.locator("[data-drawn-at]:not([data-drawn-at=''])")).waitFor({ state: "attached", timeout: 20_000 });
  return map;
}

/** The map's view from its `data-view` ("lon,lat,zoom") and its box on the page. */
async function mapView(map) {
  const [lon, lat, zoom] = (await map.getAttribute("data-view")).split(",").map(Number);
  const box = await map.boundingBox();
  return { lon, lat, zoom, box };
}

/** Where [lat, lon] is on the page, by Web Mercator (MapLibre's 512-pixel world at zoom 0). */
function screenPoint(view, [lat, lon]) {
  const world = 512 * 2 ** view.zoom;
  const x = (longitude) => ((longitude + 180) / 360) * world;
  const y = (latitude) => {
    const radians = (latitude * Math.PI) / 180;
    return ((1 - Math.log(Math.tan(radians) + 1 / Math.cos(radians)) / Math.PI) / 2) * world;
  };
  return {
    x: view.box.x + view.box.width / 2 + (x(lon) - x(view.lon)),
    y: view.box.y + view.box.height / 2 + (y(lat) - y(view.lat)),
  };
}

async function apiJson(page, path) {
  const response = await page.request.get(`${county.url}/api/v1/admin${path}`);
  assert.equal(response.status(), 200, `${path}: ${await response.text()}`);
  return response.json();
}

test("map without an archive: a plain background, the note, and every entry drawn", async () => {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const zoomsAsked = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/api/v1/admin/map") zoomsAsked.push(url.searchParams.get("zoom"));
    });
    const map = await openMap(browser);
    assert.equal(await map.getAttribute("data-basemap"), "none");
    const note = page.locator('[data-testid="map-basemap-note"]');
    assert.match(await note.innerText(), /尚未生成县级底图（管理员可运行 county-server map build）/);
    const features = await apiJson(page, "/map");
    assert.equal(features.features.length, 5, "a track, three hazards and a repair");
    assert.equal(await map.getAttribute("data-features"), String(features.features.length));
    assert.equal(await map.getAttribute("data-open-hazards"), "2");
    assert.equal(await page.locator("canvas.maplibregl-canvas").count(), 1, "MapLibre draws the map");
    assert.equal((await page.locator('[data-legend="hazardOpen"] .legend-count').innerText()).trim(), "2");
    assert.equal((await page.locator('[data-legend="hazardFixed"] .legend-count').innerText()).trim(), "1");
    assert.equal((await page.locator('[data-legend-severity="critical"] .legend-count').innerText()).trim(), "1");
    assert.equal((await page.locator('[data-legend-age="2"] .legend-count').innerText()).trim(), "1", "the 200-day-old hazard");
    assert.equal(await page.locator('[data-legend="border"]').count(), 0, "no basemap lines in the legend");
    await screenshot(page, "16-map-without-basemap");

    // The tracks are asked for the view's zoom step, again only when the step changes.
    const step = await map.getAttribute("data-zoom-step");
    assert.equal(zoomsAsked.at(-1), step, `asked: ${zoomsAsked.join(", ")}`);
    const askedBefore = zoomsAsked.length;
    const zoomOut = page.locator(".maplibregl-ctrl-zoom-out");
    const zoomOf = async () => Number((await map.getAttribute("data-view")).split(",")[2]);
    const startZoom = await zoomOf();
    while ((await map.getAttribute("data-zoom-step")) === step) {
      await zoomOut.click();
      await page.waitForFunction((before) => Number(document.querySelector('[data-testid="map"]').dataset.view.split(",")[2]) < before - 0.5, await zoomOf());
      assert.ok((await zoomOf()) > startZoom - 8, "the zoom step changes within a few clicks");
    }
    const nextStep = await map.getAttribute("data-zoom-step");
    await page.waitForFunction((wanted) => document.querySelector('[data-testid="map"]').dataset.zoomStep === wanted, nextStep);
    for (let waited = 0; zoomsAsked.length === askedBefore && waited < 10_000; waited += 100) await page.waitForTimeout(100);
    await page.waitForTimeout(500); // (a second request would have been sent by now)
    assert.deepEqual(zoomsAsked.slice(askedBefore), [nextStep], "one request for the new step, none within a step");
    assert.deepEqual(browser.pageErrors, []);
    assert.deepEqual(browser.requestsElsewhere, []);
  } finally {
    await browser.close();
  }
});

test("map with the county archive: read by Range, open hazards on top, the open-only switch", async () => {
  county.admin(["map", "build", "--data-dir", county.dataDir]);
  const browser = await openBrowser();
  const archiveRequests = [];
  browser.context.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/v1/admin/map/archive") archiveRequests.push(request.headers());
  });
  const archiveAnswers = [];
  browser.context.on("response", (response) => {
    if (new URL(response.url()).pathname === "/api/v1/admin/map/archive") archiveAnswers.push(response.status());
  });
  try {
    const { page } = browser;
    await logIn(page, county.url, ADMIN.username, ADMIN.password);
    const status = await apiJson(page, "/map/status");
    assert.equal(status.built, true, JSON.stringify(status));
    const map = await openMap(browser);
    assert.equal(await map.getAttribute("data-basemap"), "loaded");
    assert.equal(await page.locator('[data-testid="map-basemap-note"]').count(), 0);
    assert.ok(archiveRequests.length > 0, "the archive is read");
    assert.ok(
      archiveRequests.every((headers) => /^bytes=\d+-\d+$/.test(headers.range ?? "")),
      JSON.stringify(archiveRequests),
    );
    assert.ok(archiveAnswers.every((code) => code === 206), `answers: ${archiveAnswers.join(", ")}`);
    assert.equal(await page.locator('[data-legend="border"]').count(), 1);

    // The critical hazard sits on a point of the patrol track: a click there opens the hazard.
    const features = await apiJson(page, "/map");
    assert.equal(await map.getAttribute("data-features"), String(features.features.length));
    assert.equal(await map.getAttribute("data-open-hazards"), "2");
    const onTrack = screenPoint(await mapView(map), ON_TRACK);
    await page.mouse.click(onTrack.x, onTrack.y);
    const popup = page.locator(".maplibregl-popup .map-popup");
    await popup.waitFor();
    assert.equal(await popup.getAttribute("data-entry-id"), ids.critical, "the open hazard is on top of the track");
    await screenshot(page, "17-map-with-basemap");

    // Only the open hazards.
    await page.locator('[data-testid="open-only"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="map"]')?.getAttribute("data-features") === "2");
    assert.equal((await page.locator('[data-legend="patrol"] .legend-count').innerText()).trim(), "0");
    assert.equal((await page.locator('[data-legend="hazardFixed"] .legend-count').innerText()).trim(), "0");
    assert.equal((await page.locator('[data-legend="repair"] .legend-count').innerText()).trim(), "0");
    assert.equal((await page.locator('[data-legend="hazardOpen"] .legend-count').innerText()).trim(), "2");
    // Where the repair was drawn there is nothing to click now; the old hazard still opens.
    const oldHazard = screenPoint(await mapView(map), [23.6235, 105.6395]);
    await page.mouse.click(oldHazard.x, oldHazard.y);
    await page.waitForFunction((id) => document.querySelector(".maplibregl-popup .map-popup")?.getAttribute("data-entry-id") === id, ids.oldLow);
    await screenshot(page, "18-map-open-hazards-only");
    assert.deepEqual(browser.pageErrors, []);
    assert.deepEqual(browser.requestsElsewhere, []);
  } finally {
    await browser.close();
  }
});
