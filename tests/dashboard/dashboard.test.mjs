// The county dashboard in a real browser (Debian's Chromium, headless) against a real
// county-server fed by a real device (the `patrol` CLI): login, the overview, filtering
// entries, returning and approving entries (and the device receiving the decision), the
// year-end report against `county-server report` and the device's own data, its XLSX,
// what a viewer may not do, posts and devices, the map, statistics, and session expiry.
// Screenshots of every page go to test-artifacts/dashboard/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import ExcelJS from "exceljs";
import {
  FIELD_ENTRIES,
  REPORT_YEAR,
  draftOf,
  expectedReportLines,
  figuresFromDevice,
  figuresFromReport,
  recordingOrder,
} from "./fieldData.mjs";
import { County, Device, artifactsDir, checkPrerequisites, logIn, openBrowser, screenshot } from "./harness.mjs";

const ADMIN = { username: "county-admin", password: "admin-pass-2024" };
const VIEWER = { username: "county-viewer", password: "viewer-pass-2024" };
const POST = "田蓬联防所";
const SILENT_POST = "木央联防所";
const DEVICE_LABEL = "李国华的手机";
const RETURN_COMMENT = "请补拍铁网修复前后的照片";
const ROUTINE_PATROLS = 45;
const PAGE_SIZE = 50;

let county;
let device;
let admin;
const ids = {};

before(async () => {
  checkPrerequisites();
  county = new County();
  county.addAdmin(ADMIN.username, ADMIN.password, "admin");
  county.addAdmin(VIEWER.username, VIEWER.password, "viewer");
  county.addPost(POST);
  county.addPost(SILENT_POST);
  await county.start();
  device = county.enrolDevice(POST, DEVICE_LABEL);
  const photos = { hazardFence: [device.photoFile("fence.png", [0x8a, 0x5a, 0x2b])] };
  for (const name of recordingOrder()) ids[name] = device.record(draftOf(name, ids), photos[name]);
  // A patrol with a GPS track (recorded now, so this year: on the map, not in the report).
  ids.patrolTracked = device.patrol(["track", "start", "--json", "-"], JSON.stringify({ members: ["李国华"] }));
  for (const [lat, lon] of [[23.621, 105.628], [23.624, 105.633], [23.628, 105.637], [23.633, 105.64]]) {
    device.patrol(["track", "point", "--lat", String(lat), "--lon", String(lon), "--accuracy", "5"]);
  }
  device.patrol(["track", "stop", "--json", "-"], JSON.stringify({ joint: false, members: ["李国华"], findings: "沿线巡查" }));
  // Routine patrols of 2025: more entries than one page of the list holds.
  const routine = Array.from({ length: ROUTINE_PATROLS }, (_, index) =>
    JSON.stringify({
      kind: "patrol",
      occurred_at: `2025-01-${String(1 + (index % 28)).padStart(2, "0")}T0${index % 10}:15:00+08:00`,
      author: "王明",
      body: { joint: false, members: ["王明"], partners: [], markers: [], findings: "", distance_km: 2 },
    }),
  );
  device
    .patrol(["record", "--jsonl", "-"], `${routine.join("\n")}\n`)
    .split(/\s+/)
    .filter(Boolean)
    .forEach((id, index) => (ids[`routine${index}`] = id));
  const synced = device.sync();
  assert.equal(synced.report.rejected, 0, JSON.stringify(synced));
  assert.equal(synced.status.pending_records, 0, JSON.stringify(synced));
  admin = await openBrowser();
});

after(async () => {
  await admin?.close();
  await county?.stop();
});

/** Every entry as the device has it now (`patrol list`, then `patrol show` of each). */
function deviceDocuments() {
  const listed = JSON.parse(device.patrol(["list", "--json", "--limit", "500", "--include-deleted"]));
  assert.equal(listed.next_cursor ?? null, null, "one page holds the device's log");
  return listed.entries.map((entry) => device.show(entry.id));
}

/** The admin's page, logged in (each test can then run alone, e.g. with --test-name-pattern). */
async function adminPage() {
  const { page } = admin;
  const session = await page.request.get(`${county.url}/api/v1/admin/session`);
  if (session.status() !== 200) await logIn(page, county.url, ADMIN.username, ADMIN.password);
  return page;
}

async function apiJson(page, path) {
  const response = await page.request.get(`${county.url}/api/v1/admin${path}`);
  assert.equal(response.status(), 200, `${path}: ${await response.text()}`);
  return response.json();
}

test("login: a wrong password shows the server's Chinese message; the right one opens the overview with the posts and the device", async () => {
  const { page } = admin;
  await page.goto(`${county.url}/`);
  await page.waitForURL((url) => url.pathname === "/login");

  await page.fill('input[name="username"]', ADMIN.username);
  await page.fill('input[name="password"]', "not-the-password");
  await page.click('[data-testid="login-submit"]');
  const error = page.locator('[data-testid="login-error"]');
  await error.waitFor();
  const refused = await (
    await fetch(`${county.url}/api/v1/admin/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: ADMIN.username, password: "not-the-password" }),
    })
  ).json();
  assert.match(refused.message_zh, /[\u4e00-\u9fff]/);
  assert.equal((await error.innerText()).trim(), refused.message_zh);
  assert.equal(new URL(page.url()).pathname, "/login");
  await screenshot(page, "01-login-wrong-password");

  await page.fill('input[name="password"]', ADMIN.password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL((url) => url.pathname === "/");
  const postsTable = page.locator('[data-testid="posts-table"]');
  await postsTable.getByText(POST, { exact: true }).waitFor();
  await postsTable.getByText(SILENT_POST, { exact: true }).waitFor();
  const silentRow = postsTable.locator("tr", { hasText: SILENT_POST });
  assert.equal(await silentRow.locator('[data-testid="silent-tag"]').count(), 1, "the post with no device is marked silent");
  assert.equal(await postsTable.locator("tr", { hasText: POST }).locator('[data-testid="silent-tag"]').count(), 0);
  const deviceRow = page.locator('[data-testid="devices-table"] tr', { hasText: DEVICE_LABEL });
  await deviceRow.waitFor();
  assert.equal((await deviceRow.locator('[data-testid="device-last-contact"]').innerText()).trim(), "刚刚");
  assert.equal((await page.locator('[data-total="entries"] .total-value').innerText()).trim(), String(Object.keys(ids).length));
  assert.equal((await page.locator('[data-total="posts"] .total-value').innerText()).trim(), "2");
  assert.equal((await page.locator('[data-testid="current-role"]').innerText()).trim(), "管理员");
  await screenshot(page, "02-overview");
});

test("entries: filtering by kind and text shows exactly the device's matching entries", async () => {
  const page = await adminPage();
  await page.click('[data-nav="/entries"]');
  await page.waitForURL((url) => url.pathname === "/entries");
  const table = page.locator('[data-testid="entries-table"]');
  await table.locator("[data-entry-id]").first().waitFor();
  const entryCount = Object.keys(ids).length;
  assert.ok(entryCount > PAGE_SIZE);
  assert.equal(await table.locator("[data-entry-id]").count(), PAGE_SIZE, "one page first");
  await page.click('[data-testid="entries-more"]');
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="entries-table"] [data-entry-id]').length === count, entryCount);
  const listed = await table.locator("[data-entry-id]").evaluateAll((links) => links.map((link) => link.dataset.entryId));
  assert.deepEqual([...listed].sort(), Object.values(ids).sort(), "the next page brings the rest, none twice");
  assert.equal(await page.locator('[data-testid="entries-more"]').count(), 0, "nothing more to load");

  await page.locator('[data-filter="kind"]').click();
  await page.locator(".el-select-dropdown__item:visible", { hasText: "隐患排查" }).click();
  await page.fill('input[name="q"]', "铁网");
  const answered = page.waitForResponse((response) => response.url().includes("/api/v1/admin/entries?") && response.url().includes("kind=hazard"));
  await page.click('[data-testid="entries-search"]');
  await answered;
  await page.waitForURL((url) => url.searchParams.get("kind") === "hazard" && url.searchParams.get("q") === "铁网");

  const expected = deviceDocuments()
    .filter((document) => document.kind === "hazard" && JSON.stringify(document.body).includes("铁网"))
    .map((document) => document.id)
    .sort();
  assert.ok(expected.length >= 2, "the data has more than one match");
  await page.waitForFunction((count) => document.querySelectorAll('[data-testid="entries-table"] [data-entry-id]').length === count, expected.length);
  const shown = await table.locator("[data-entry-id]").evaluateAll((links) => links.map((link) => link.dataset.entryId));
  assert.deepEqual([...shown].sort(), expected);
  for (const kind of await table.locator('[data-column="kind"]').allInnerTexts()) assert.equal(kind.trim(), "隐患排查");
  await screenshot(page, "03-entries-filtered");
});

test("review: an entry returned with a comment, and another approved, reach the device on its next sync", async () => {
  const page = await adminPage();
  // From the filtered list: the fence hazard.
  if (!page.url().includes("/entries?")) await page.goto(`${county.url}/entries?kind=hazard&q=${encodeURIComponent("铁网")}`);
  await page.locator(`[data-entry-id="${ids.hazardFence}"]`).click();
  await page.waitForURL((url) => url.pathname === `/entries/${ids.hazardFence}`);
  await page.locator('[data-testid="review-box"]').waitFor();
  const fields = page.locator('[data-testid="entry-fields"]');
  assert.equal((await fields.locator('[data-field="body.description"]').innerText()).trim(), FIELD_ENTRIES.hazardFence.body.description);
  assert.equal((await fields.locator('[data-field="body.severity"]').innerText()).trim(), "高");
  assert.equal((await page.locator('[data-testid="review-state"]').innerText()).trim(), "待审核");
  // Its photo: the thumbnail shows, and opens the full size.
  const thumbnail = page.locator(".photo-image img");
  await thumbnail.waitFor();
  await page.waitForFunction(() => document.querySelector(".photo-image img")?.naturalWidth > 0);
  assert.match(await thumbnail.getAttribute("src"), /\/api\/v1\/admin\/photos\/[0-9a-f]{64}\/thumb$/);
  await thumbnail.click();
  const full = page.locator(".el-image-viewer__img");
  await full.waitFor();
  assert.match(await full.getAttribute("src"), /\/api\/v1\/admin\/photos\/[0-9a-f]{64}\/full$/);
  await page.waitForFunction(() => document.querySelector(".el-image-viewer__img")?.naturalWidth === 480);
  await screenshot(page, "04a-photo-full-size");
  await page.keyboard.press("Escape");
  await full.waitFor({ state: "detached" });
  const versionsBefore = await page.locator("[data-revision]").count();

  // Returning without a comment is refused here, before anything is sent.
  let reviewRequests = 0;
  const countReviews = (request) => {
    if (request.url().endsWith("/review")) reviewRequests += 1;
  };
  page.on("request", countReviews);
  await page.locator('[data-decision="returned"]').click();
  await page.click('[data-testid="review-submit"]');
  await page.locator('[data-testid="review-error"]').waitFor();
  assert.equal((await page.locator('[data-testid="review-error"]').innerText()).trim(), "退回时请填写审核意见");
  assert.equal(reviewRequests, 0);

  await page.fill('textarea[name="comment"]', RETURN_COMMENT);
  const decided = page.waitForResponse((response) => response.url().endsWith(`/entries/${ids.hazardFence}/review`));
  await page.click('[data-testid="review-submit"]');
  const response = await decided;
  page.off("request", countReviews);
  assert.equal(response.status(), 200);
  assert.equal(response.request().headers()["x-patrol-dashboard"], "1");
  await page.waitForFunction(() => document.querySelector('[data-testid="review-state"]')?.textContent?.trim() === "已退回");
  assert.equal((await page.locator('[data-testid="review-current-comment"]').innerText()).trim(), RETURN_COMMENT);
  await page.waitForFunction((count) => document.querySelectorAll("[data-revision]").length === count, versionsBefore + 1);
  assert.match(await page.locator('[data-testid="entry-history"]').innerText(), /县里/);
  await screenshot(page, "04-entry-returned");

  await page.goto(`${county.url}/entries/${ids.repairFence}`);
  await page.locator('[data-testid="review-box"]').waitFor();
  await page.locator('[data-decision="approved"]').click();
  await page.click('[data-testid="review-submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="review-state"]')?.textContent?.trim() === "已通过");
  await screenshot(page, "05-entry-approved");

  device.sync();
  const returned = device.show(ids.hazardFence);
  assert.equal(returned.review?.decision, "returned", JSON.stringify(returned));
  assert.equal(returned.review.comment, RETURN_COMMENT);
  assert.equal(returned.review.reviewer, ADMIN.username);
  const approved = device.show(ids.repairFence);
  assert.equal(approved.review?.decision, "approved", JSON.stringify(approved));
  assert.equal(device.show(ids.hazardRoad).review, undefined, "an entry nobody reviewed has no decision");
});

test("report: the page's figures equal `county-server report` and the device's own entries; the XLSX and CSV say the same", async () => {
  const page = await adminPage();
  await page.click('[data-nav="/reports/annual"]');
  await page.waitForURL((url) => url.pathname === "/reports/annual");
  await page.goto(`${county.url}/reports/annual?year=${REPORT_YEAR}`);
  await page.locator(`[data-testid="annual-report"][data-year="${REPORT_YEAR}"]`).waitFor();

  const fromCli = county.reportJson(REPORT_YEAR);
  const fromApi = await apiJson(page, `/reports/annual?year=${REPORT_YEAR}&format=json`);
  assert.deepEqual(fromApi, fromCli, "the API and the command print the same report");
  const fromDevice = figuresFromDevice(deviceDocuments(), REPORT_YEAR);
  assert.deepEqual(figuresFromReport(fromCli), fromDevice);

  const shownLines = Object.fromEntries(
    await page.locator("[data-figure]").evaluateAll((items) =>
      items.map((item) => [item.dataset.figure, item.dataset.values.split(",").map(Number)]),
    ),
  );
  assert.deepEqual(shownLines, expectedReportLines(fromCli));
  const text = await page.locator('[data-testid="report-lines"]').innerText();
  assert.match(text, new RegExp(`联合巡逻 ${fromCli.patrols.joint} 次`));
  assert.match(text, new RegExp(`协助查处跨境违法犯罪案件 ${fromCli.incidents.cases} 起 ${fromCli.incidents.persons} 人`));
  assert.match(text, /修复铁网 30 米/);
  assert.match(text, /修复水毁道路 0\.7 公里/);
  await screenshot(page, "06-report");

  const [xlsxDownload] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="report-xlsx"]')]);
  assert.equal(xlsxDownload.suggestedFilename(), `patrol-log-annual-${REPORT_YEAR}.xlsx`);
  const xlsxPath = join(artifactsDir, xlsxDownload.suggestedFilename());
  await xlsxDownload.saveAs(xlsxPath);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(xlsxPath);
  const summary = workbook.getWorksheet("年度报告");
  assert.ok(summary, `sheets: ${workbook.worksheets.map((sheet) => sheet.name).join(", ")}`);
  const cells = new Map();
  summary.eachRow((row, number) => {
    if (number === 1) assert.deepEqual(row.values.slice(1), ["类别", "项目", "数量", "单位"]);
    else cells.set(`${row.getCell(1).value}/${row.getCell(2).value}`, Number(row.getCell(3).value));
  });
  const expectCell = (key, value) => assert.equal(cells.get(key), value, `${key} in the XLSX`);
  expectCell("巡逻/巡逻", fromCli.patrols.total);
  expectCell("巡逻/联合巡逻", fromCli.patrols.joint);
  expectCell("巡逻/巡逻里程", fromCli.patrols.distance_km);
  expectCell("案件/协助查处案件", fromCli.incidents.cases);
  expectCell("案件/涉案人员", fromCli.incidents.persons);
  expectCell("普法宣传/宣传次数", fromCli.outreach.sessions);
  expectCell("普法宣传/受教育群众", fromCli.outreach.audience);
  for (const row of fromCli.repairs) expectCell(`修复/${row.label_zh}`, row.quantity);
  for (const row of fromCli.activities) expectCell(`活动/${row.label_zh}`, row.sessions);
  expectCell("隐患排查/发现隐患", fromCli.hazards.found);
  expectCell("隐患排查/已整改", fromCli.hazards.fixed);
  expectCell("修复/铁网", fromDevice.repairs.fence);
  expectCell("修复/水毁道路", fromDevice.repairs.road);
  expectCell("巡逻/联合巡逻", fromDevice.patrols.joint);

  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="report-csv"]')]);
  assert.equal(csvDownload.suggestedFilename(), `patrol-log-annual-${REPORT_YEAR}.csv`);
  const csvPath = join(artifactsDir, csvDownload.suggestedFilename());
  await csvDownload.saveAs(csvPath);
  const csv = readFileSync(csvPath, "utf8");
  assert.ok(csv.startsWith("\uFEFF类别,项目,数量,单位"), csv.slice(0, 40));
  assert.match(csv, new RegExp(`巡逻,联合巡逻,${fromCli.patrols.joint},次`));

  // Printed: no navigation, black on white, A4.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".frame-nav").isVisible(), false, "no navigation on paper");
  assert.equal(await page.locator('[data-testid="report-xlsx"]').isVisible(), false, "no buttons on paper");
  const colour = await page.locator('[data-testid="annual-report"]').evaluate((element) => getComputedStyle(element).color);
  assert.equal(colour, "rgb(0, 0, 0)");
  await screenshot(page, "07-report-print");
  await page.pdf({ path: join(artifactsDir, `report-${REPORT_YEAR}.pdf`), format: "A4", printBackground: false });
  await page.emulateMedia({ media: "screen" });
});

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
  assert.equal(await page.locator(".map-square").count(), repairsWithPlace, "repairs are squares");
  assert.equal((await page.locator('[data-legend="hazardOpen"] .legend-count').innerText()).trim(), "2");
  assert.equal((await page.locator('[data-legend="hazardFixed"] .legend-count').innerText()).trim(), "1");
  assert.equal(await page.locator(".leaflet-tile").count(), 0, "no tile layer unless the server names one");
  assert.ok((await page.locator(".map-grid-label").count()) > 0, "the lat/lon grid is labelled");
  await page.locator(".leaflet-control-scale-line").waitFor();
  await screenshot(page, "08-map");

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
    await screenshot(page, "14-viewer-posts");

    const entryBefore = await apiJson(page, `/entries/${ids.hazardRoad}`);
    const postsBefore = await apiJson(page, "/posts");
    const deviceId = device.show(ids.hazardRoad).device_id;
    const forged = [
      [`/entries/${ids.hazardRoad}/review`, { decision: "approved", comment: "" }],
      ["/posts", { name: "伪造联防所" }],
      [`/posts/${postsBefore[0].id}/enrolment-codes`, {}],
      [`/devices/${deviceId}/revoke`, {}],
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
