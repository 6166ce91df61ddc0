// The map with a tile layer: when county-server is started with --map-tile-url, the dashboard
// (MapLibre GL) draws that layer's raster tiles (here from a tile server of this test on
// loopback) under the entries; without it (dashboard-admin.test.mjs) no tile is requested.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { inflateSync } from "node:zlib";
import { after, before, test } from "node:test";
import { County, checkPrerequisites, logIn, openBrowser, plainPng, screenshot } from "./harness.mjs";

/** The colour [r, g, b] of a 1×1 PNG (a screenshot's clip): for one pixel every filter is none. */
function pixelOf(png) {
  const chunks = [];
  let channels = 3;
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("ascii", at + 4, at + 8);
    if (type === "IHDR") channels = { 2: 3, 6: 4 }[png[at + 8 + 9]];
    if (type === "IDAT") chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const row = inflateSync(Buffer.concat(chunks));
  return [...row.subarray(1, 1 + Math.min(channels, 3))];
}

let county;
let tiles;
const tilesAsked = [];

before(async () => {
  checkPrerequisites();
  const tile = plainPng(256, 256, [0xc8, 0xc8, 0xc8]);
  tiles = createServer((request, response) => {
    tilesAsked.push(request.url);
    response.writeHead(200, { "Content-Type": "image/png", "Access-Control-Allow-Origin": "*" });
    response.end(tile);
  });
  await new Promise((done) => tiles.listen(0, "127.0.0.1", done));
  const tileUrl = `http://127.0.0.1:${tiles.address().port}/tiles/{z}/{x}/{y}.png`;
  county = new County();
  county.addAdmin("county-admin", "admin-pass-2024", "admin");
  await county.start(["--map-tile-url", tileUrl]);
});

after(async () => {
  await county?.stop();
  await new Promise((done) => (tiles ? tiles.close(done) : done()));
});

test("map: with --map-tile-url the dashboard draws that tile layer", async () => {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await logIn(page, county.url, "county-admin", "admin-pass-2024");
    await page.goto(`${county.url}/map`);
    await page.locator('[data-testid="map"][data-features="0"]').waitFor({ state: "attached" });
    // Drawn: MapLibre is idle once the tiles it asked for are in.
    await page.locator('[data-testid="map"]:not([data-drawn-at=""])').waitFor({ state: "attached" });
    await page.waitForFunction(() => document.querySelector("canvas.maplibregl-canvas") !== null);
    assert.ok(tilesAsked.length > 0, "tiles are asked from the configured address");
    assert.ok(tilesAsked.every((path) => /^\/tiles\/\d+\/\d+\/\d+\.png$/.test(path)), tilesAsked.join(" "));
    assert.equal(await page.locator('[data-testid="map"]').getAttribute("data-basemap"), "none", "no county archive here");
    // The tiles are drawn: the map's middle is the tiles' grey, not the plain background.
    const box = await page.locator('[data-testid="map"]').boundingBox();
    const middle = pixelOf(await page.screenshot({ clip: { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2), width: 1, height: 1 } }));
    assert.deepEqual(middle, [0xc8, 0xc8, 0xc8], `the middle pixel: ${middle}`);
    await screenshot(page, "15-map-with-tiles");
    assert.deepEqual(browser.pageErrors, []);
  } finally {
    await browser.close();
  }
});
