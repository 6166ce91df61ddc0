// The map with a tile layer: when county-server is started with --map-tile-url, the dashboard
// draws that layer's tiles (here from a tile server of this test on loopback) under the
// entries; without it (dashboard.test.mjs) no tile is requested.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { deflateSync } from "node:zlib";
import { County, checkPrerequisites, logIn, openBrowser, screenshot } from "./harness.mjs";

/** A 256×256 PNG of one colour: a stand-in map tile. */
function plainTile() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(256, 0);
  header.writeUInt32BE(256, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(256 * 3, 0xc8)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: 256 }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

let county;
let tiles;
const tilesAsked = [];

before(async () => {
  checkPrerequisites();
  const tile = plainTile();
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
