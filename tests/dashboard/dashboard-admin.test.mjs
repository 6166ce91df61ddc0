// The county dashboard in a real browser, part 2: the map and the statistics, posts and
// devices (a post added, an enrolment code that really enrols a device, revoking it), what a
// viewer may not see or do, and a session the server ended sending the page back to login.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { REPORT_YEAR } from "./fieldData.mjs";
import { ADMIN, DEVICE_LABEL, POST, VIEWER, openFieldCounty } from "./fixture.mjs";
import { Device, logIn, openBrowser, screenshot } from "./harness.mjs";

let field;
let county;
let device;
let admin;
let ids;

before(async () => {
  field = await openFieldCounty();
  ({ county, device, admin, ids } = field);
});

after(async () => {
  await field?.close();
});

const adminPage = () => field.adminPage();
const apiJson = (page, path) => field.apiJson(page, path);

test("map and statistics: the entries drawn with a legend and no tiles; the year's table and charts", async () => {
  const page = await adminPage();
  await page.click('[data-nav="/map"]');
  const features = await apiJson(page, "/map");
  await page.waitForFunction(
    (count) => document.querySelector('[data-testid="map"]')?.getAttribute("data-features") === String(count),
    features.features.length,
  );
  const lines = features.features.filter((feature) => feature.geometry.type === "LineString").length;
  assert.equal(lines, 1, "the tracked patrol is a line");
  const repairsWithPlace = features.features.filter((feature) => feature.properties.kind === "repair").length;
  assert.equal((await page.locator('[data-legend="repair"] .legend-count').innerText()).trim(), String(repairsWithPlace));
  assert.equal((await page.locator('[data-legend="hazardOpen"] .legend-count').innerText()).trim(), "2");
  assert.equal((await page.locator('[data-legend="hazardFixed"] .legend-count').innerText()).trim(), "1");
  assert.equal(await page.locator('[data-testid="map"]').getAttribute("data-open-hazards"), "2");
  await page.locator('[data-testid="map"]:not([data-drawn-at=""])').waitFor({ state: "attached" });
  assert.equal(await page.locator('[data-testid="map"]').getAttribute("data-basemap"), "none", "no county archive built");
  await page.locator('[data-testid="map-basemap-note"]').waitFor();
  await page.locator(".maplibregl-ctrl-scale").waitFor();
  await screenshot(page, "08-map");

  // Statistics without a year opens on the year of the newest entry, put into its address.
  const newest = await apiJson(page, "/entries?limit=1");
  await page.goto(`${county.url}/statistics`);
  await page.waitForURL((url) => url.searchParams.get("year") === newest.entries[0].local_day.slice(0, 4));
  await page.goto(`${county.url}/statistics?year=${REPORT_YEAR}`);
  const table = page.locator('[data-testid="statistics-table"]');
  await table.waitFor();
  const statistics = await apiJson(page, `/statistics?year=${REPORT_YEAR}`);
  const categories = new Set(statistics.rows.map((row) => `${row.kind}/${row.category ?? ""}`));
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="statistics-table"] .el-table__body-wrapper tbody tr').length === count,
    categories.size,
  );
  assert.equal(await page.locator(".chart canvas").count() >= 2, true, "both charts drawn");
  await screenshot(page, "09-statistics");
});

test("posts and devices: add a post, an enrolment code that enrols a device, and revoking it after confirming", async () => {
  const page = await adminPage();
  await page.click('[data-nav="/posts"]');
  await page.locator('[data-testid="add-post"]').waitFor();
  await page.fill('input[name="post-name"]', "那能联防所");
  await page.click('[data-testid="add-post-submit"]');
  await page.locator('[data-testid="posts-list"]').getByText("那能联防所", { exact: true }).waitFor();

  await page.fill('input[name="post-name"]', POST);
  await page.click('[data-testid="add-post-submit"]');
  await page.locator('[data-testid="add-post-error"]').waitFor();
  assert.match(await page.locator('[data-testid="add-post-error"]').innerText(), /[\u4e00-\u9fff]/, "a duplicate name is refused in Chinese");

  const row = page.locator('[data-testid="posts-list"] tr', { hasText: "那能联防所" });
  await row.locator('[data-testid="make-code"]').click();
  const code = (await page.locator('[data-testid="enrolment-code"]').innerText()).trim();
  assert.ok(code.length >= 8, code);
  const qrWidth = await page.locator('[data-testid="enrolment-qr"]').evaluate((image) => image.complete && image.naturalWidth);
  assert.ok(qrWidth > 0, "the QR image shows");
  await screenshot(page, "10-enrolment-code");
  await page.keyboard.press("Escape");

  const newcomer = new Device("那能所值班电脑");
  county.devices.push(newcomer);
  newcomer.enrol(county.url, code);
  newcomer.record({ kind: "outreach", occurred_at: "2024-11-02T10:00:00+08:00", body: { village: "那能村", topic: "禁毒", audience: 30 } });
  newcomer.sync();

  await page.reload();
  const deviceRow = page.locator('[data-testid="devices-list"] tr', { hasText: "那能所值班电脑" });
  await deviceRow.waitFor();
  await deviceRow.locator('[data-testid="revoke-device"]').click();
  await page.locator(".el-message-box").waitFor();
  await screenshot(page, "11-revoke-confirm");
  await page.locator(".el-message-box .el-button--primary").click();
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid="devices-list"] tr')].some(
        (tr) => tr.textContent.includes("那能所值班电脑") && tr.textContent.includes("已停用"),
      ),
  );
  assert.throws(() => newcomer.sync(), /exited 7/, "the revoked device is refused");
  await screenshot(page, "12-posts-devices");
});

test("a lost phone: revoke and wipe after confirming; once the phone is wiped the list shows what it had unsent", async () => {
  const page = await adminPage();
  const posts = await apiJson(page, "/posts");
  const post = posts.find((item) => item.name === "那能联防所") ?? posts[0];
  const code = await page.request.post(`${county.url}/api/v1/admin/posts/${post.id}/enrolment-codes`, {
    headers: { "X-Patrol-Dashboard": "1" },
    data: {},
  });
  const lost = new Device("那能所丢失的手机");
  county.devices.push(lost);
  lost.enrol(county.url, (await code.json()).code);
  lost.record({ kind: "outreach", occurred_at: "2024-11-03T10:00:00+08:00", body: { village: "那能村", topic: "禁毒", audience: 12 } });
  lost.sync();
  lost.record({ kind: "outreach", occurred_at: "2024-11-04T10:00:00+08:00", body: { village: "那能村", topic: "防诈", audience: 20 } });
  const photo = lost.photoFile("meeting.png", [40, 120, 200]);
  lost.record({ kind: "outreach", occurred_at: "2024-11-05T10:00:00+08:00", body: { village: "那能村", topic: "护边", audience: 25 } }, [photo]);

  await page.goto(`${county.url}/posts`);
  const row = page.locator('[data-testid="devices-list"] tr', { hasText: "那能所丢失的手机" });
  await row.locator('[data-testid="wipe-device"]').click();
  await page.locator(".el-message-box").getByText("清除手机上的全部记录和照片").waitFor();
  await page.locator(".el-message-box .el-button--primary").click();
  await row.locator('[data-testid="device-state"]', { hasText: "待清除" }).waitFor();
  assert.equal(await row.locator('[data-testid="wipe-device"]').count(), 0, "ordered once");

  assert.throws(() => lost.sync(), /exited 10/, "the phone wipes itself on its next sync");
  assert.equal(JSON.parse(lost.patrol(["status", "--json"])).wiped.unsent.unsent_entries, 2);
  await page.reload();
  await row.locator('[data-testid="device-state"]', { hasText: "已清除" }).waitFor();
  const note = (await row.locator('[data-testid="device-wipe"]').innerText()).trim();
  assert.match(note, /未上传 2 条记录、1 张照片/, note);
  await screenshot(page, "12b-device-wiped");
});

test("a forgotten PIN: the admin resets it for a post, and the audit log names the member", async () => {
  const page = await adminPage();
  await page.goto(`${county.url}/posts`);
  const row = page.locator('[data-testid="posts-list"] tr', { hasText: POST });
  await row.locator('[data-testid="reset-pin"]').click();
  const box = page.locator(".el-message-box");
  await box.getByText("下次同步时会清除此人的 PIN").waitFor();
  await box.locator(".el-message-box__btns .el-button--primary").click();
  await box.getByText("请填写姓名").waitFor();
  await box.locator("input").fill("王明");
  await box.locator(".el-message-box__btns .el-button--primary").click();
  await page.locator(".el-message--success", { hasText: "王明 的 PIN" }).waitFor();
  const audit = await apiJson(page, "/audit?action=pin_reset");
  assert.equal(audit.records[0].detail.member, "王明");
  await page.goto(`${county.url}/audit`);
  await page.locator("tr", { hasText: "重置人员 PIN" }).filter({ hasText: "王明" }).first().waitFor();
});

test("viewer: sees no review, add or revoke buttons; a forged POST with its cookie gets 403 and changes nothing", async () => {
  const viewer = await openBrowser();
  try {
    const { page } = viewer;
    await logIn(page, county.url, VIEWER.username, VIEWER.password);
    assert.equal((await page.locator('[data-testid="current-role"]').innerText()).trim(), "只读");

    await page.goto(`${county.url}/entries/${ids.hazardRoad}`);
    await page.locator('[data-testid="review-panel"]').waitFor();
    await page.locator('[data-testid="entry-fields"]').waitFor();
    assert.equal(await page.locator('[data-testid="review-box"]').count(), 0);
    await screenshot(page, "13-viewer-entry");

    await page.goto(`${county.url}/posts`);
    await page.locator('[data-testid="devices-list"]').getByText(DEVICE_LABEL).waitFor();
    assert.equal(await page.locator('[data-testid="add-post"]').count(), 0);
    assert.equal(await page.locator('[data-testid="make-code"]').count(), 0);
    assert.equal(await page.locator('[data-testid="revoke-device"]').count(), 0);
    assert.equal(await page.locator('[data-testid="wipe-device"]').count(), 0);
    assert.equal(await page.locator('[data-testid="reset-pin"]').count(), 0);
    await screenshot(page, "14-viewer-posts");

    const entryBefore = await apiJson(page, `/entries/${ids.hazardRoad}`);
    const postsBefore = await apiJson(page, "/posts");
    const deviceId = device.show(ids.hazardRoad).device_id;
    const forged = [
      [`/entries/${ids.hazardRoad}/review`, { decision: "approved", comment: "" }],
      ["/posts", { name: "伪造联防所" }],
      [`/posts/${postsBefore[0].id}/enrolment-codes`, {}],
      [`/devices/${deviceId}/revoke`, {}],
      [`/devices/${deviceId}/wipe`, {}],
      [`/posts/${postsBefore[0].id}/pin-resets`, { member: "王明" }],
    ];
    for (const [path, body] of forged) {
      const response = await page.request.post(`${county.url}/api/v1/admin${path}`, {
        headers: { "X-Patrol-Dashboard": "1" },
        data: body,
      });
      assert.equal(response.status(), 403, `${path}: ${await response.text()}`);
      assert.equal((await response.json()).error, "forbidden");
    }
    assert.deepEqual(await apiJson(page, `/entries/${ids.hazardRoad}`), entryBefore, "the entry is unchanged");
    assert.deepEqual(await apiJson(page, "/posts"), postsBefore, "no post was added");
    const overview = await apiJson(page, "/overview");
    assert.equal(overview.devices.find((item) => item.id === deviceId)?.revoked, false, "the device is not revoked");
    assert.deepEqual(viewer.requestsElsewhere, []);
    assert.deepEqual(viewer.pageErrors, []);
  } finally {
    await viewer.close();
  }
});

test("session: when the server ends the session, the next page goes back to login, and logging in returns to it", async () => {
  const page = await adminPage();
  await page.goto(`${county.url}/`);
  await page.locator('[data-testid="posts-table"]').waitFor();
  const ended = await page.request.delete(`${county.url}/api/v1/admin/session`, { headers: { "X-Patrol-Dashboard": "1" } });
  assert.equal(ended.status(), 204);
  await page.click('[data-nav="/entries"]');
  await page.waitForURL((url) => url.pathname === "/login");
  assert.equal(new URL(page.url()).searchParams.get("redirect"), "/entries");
  await page.fill('input[name="username"]', ADMIN.username);
  await page.fill('input[name="password"]', ADMIN.password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL((url) => url.pathname === "/entries");
  await page.locator("[data-entry-id]").first().waitFor();
  assert.deepEqual(admin.requestsElsewhere, [], "no page asked any host but the county server");
  assert.deepEqual(admin.pageErrors, [], "no uncaught error in any page");
});

test("language: English is selectable, kept across a reload, and Chinese comes back", async () => {
  const page = await adminPage();
  await page.goto(`${county.url}/entries`);
  await page.locator("[data-entry-id]").first().waitFor();
  assert.equal((await page.locator('[data-nav="/entries"]').innerText()).trim(), "日志条目");
  await page.click('[data-testid="switch-language"]');
  await page.waitForFunction(() => document.querySelector('[data-nav="/entries"]')?.textContent?.trim() === "Entries");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en-US");
  await page.reload();
  await page.locator("[data-entry-id]").first().waitFor();
  assert.equal((await page.locator('[data-nav="/entries"]').innerText()).trim(), "Entries");
  assert.equal((await page.locator('[data-testid="entries-search"]').innerText()).trim(), "Search");
  await screenshot(page, "16-entries-english");
  await page.click('[data-testid="switch-language"]');
  await page.waitForFunction(() => document.querySelector('[data-nav="/entries"]')?.textContent?.trim() === "日志条目");
});
