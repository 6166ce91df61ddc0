// The map with a tile layer: when county-server is started with --map-tile-url, the dashboard
// draws that layer's tiles (here from a tile server of this test on loopback) under the
// entries; without it (dashboard.test.mjs) no tile is requested.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { County, checkPrerequisites, logIn, openBrowser, plainPng, screenshot } from "./harness.mjs";

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
    await page.waitForFunction(() => document.querySelectorAll(".leaflet-tile-loaded").length > 0);
    assert.ok(tilesAsked.length > 0);
    assert.ok(tilesAsked.every((path) => /^\/tiles\/\d+\/\d+\/\d+\.png$/.test(path)), tilesAsked.join(" "));
    assert.ok((await page.locator(".map-grid-label").count()) > 0, "the grid stays over the tiles");
    await screenshot(page, "15-map-with-tiles");
    assert.deepEqual(browser.pageErrors, []);
  } finally {
    await browser.close();
  }
});
