// The county dashboard in a real browser (Debian's Chromium, headless) against a real
// county-server fed by a real device (the `patrol` CLI), part 1: login and the overview,
// filtering and paging the entries, returning and approving entries (the device receiving the
// decision), the year-end report against `county-server report` and the device's own data,
// its XLSX and CSV and its print layout. Screenshots go to test-artifacts/dashboard/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import ExcelJS from "exceljs";
import { FIELD_ENTRIES, REPORT_YEAR, expectedReportLines, figuresFromDevice, figuresFromReport } from "./fieldData.mjs";
import { ADMIN, PAGE_SIZE, POST, DEVICE_LABEL, SILENT_POST, openFieldCounty } from "./fixture.mjs";
import { artifactsDir, screenshot } from "./harness.mjs";

const RETURN_COMMENT = "请补拍铁网修复前后的照片";

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

const deviceDocuments = () => field.deviceDocuments();
const adminPage = () => field.adminPage();
const apiJson = (page, path) => field.apiJson(page, path);

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
  assert.match(await thumbnail.getAttribute("src"), /\/api\/v1\/admin\/posts\/[0-9a-f-]{36}\/photos\/[0-9a-f]{64}\/thumb$/);
  await thumbnail.click();
  const full = page.locator(".el-image-viewer__img");
  await full.waitFor();
  assert.match(await full.getAttribute("src"), /\/api\/v1\/admin\/posts\/[0-9a-f-]{36}\/photos\/[0-9a-f]{64}\/full$/);
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
  // Opened from the menu, the report shows the year of the newest entry (the fixture's patrol
  // of today), and says so in its address.
  const newest = await apiJson(page, "/entries?limit=1");
  const latestYear = newest.entries[0].local_day.slice(0, 4);
  await page.click('[data-nav="/reports/annual"]');
  await page.waitForURL((url) => url.pathname === "/reports/annual" && url.searchParams.get("year") === latestYear);
  await page.locator(`[data-testid="annual-report"][data-year="${latestYear}"]`).waitFor();
  assert.equal(await page.locator('[data-testid="year-refused"]').count(), 0, "no warning for a year not asked");
  // A year the server refuses is said so, and the latest year is shown instead.
  await page.goto(`${county.url}/reports/annual?year=1999`);
  const refused = page.locator('[data-testid="year-refused"]');
  await refused.waitFor();
  assert.match(await refused.innerText(), new RegExp(`“1999”.*2000 到 2100.*${latestYear} 年`));
  await page.locator(`[data-testid="annual-report"][data-year="${latestYear}"]`).waitFor();
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
  assert.deepEqual(admin.requestsElsewhere, [], "no page asked any host but the county server");
  assert.deepEqual(admin.pageErrors, [], "no uncaught error in any page");
});

