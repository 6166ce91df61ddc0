// The county dashboard in a real browser, part 3: 操作记录 (the audit log). A wrong password
// typed on the login page and a review made by the admin are listed with who, from where and on
// what; the action filter narrows the list; a viewer has no such page and the server refuses it.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ADMIN, POST, VIEWER } from "./fixture.mjs";
import { County, checkPrerequisites, logIn, openBrowser, screenshot } from "./harness.mjs";

let county;
let browser;
let entryId;

before(async () => {
  checkPrerequisites();
  county = new County();
  county.addAdmin(ADMIN.username, ADMIN.password, "admin");
  county.addAdmin(VIEWER.username, VIEWER.password, "viewer");
  county.addPost(POST);
  await county.start();
  const device = county.enrolDevice(POST, "李国华的手机");
  entryId = device.record({
    kind: "hazard",
    occurred_at: "2024-03-02T09:00:00+08:00",
    author: "李国华",
    body: { category: "fence", severity: "high", description: "铁网被洪水冲毁约30米" },
  });
  const synced = device.sync();
  assert.equal(synced.report.rejected, 0, JSON.stringify(synced));
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await county?.stop();
});

/** The audit table's rows as the page shows them: action code and the row's text. */
async function auditRows(page) {
  return page.locator('[data-testid="audit-table"] .el-table__body-wrapper tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      action: row.querySelector("[data-action]")?.getAttribute("data-action"),
      outcome: row.querySelector("[data-outcome]")?.textContent?.trim(),
      text: row.textContent,
    })),
  );
}

test("操作记录 lists a failed login and a review, and filters by action", async () => {
  const { page } = browser;
  await page.goto(`${county.url}/login`);
  await page.fill('input[name="username"]', ADMIN.username);
  await page.fill('input[name="password"]', "not-the-password");
  await page.click('[data-testid="login-submit"]');
  await page.locator('[data-testid="login-error"]').waitFor();

  await logIn(page, county.url, ADMIN.username, ADMIN.password);
  const review = await page.request.post(`${county.url}/api/v1/admin/entries/${entryId}/review`, {
    headers: { "X-Patrol-Dashboard": "1" },
    data: { decision: "returned", comment: "请补充照片" },
  });
  assert.equal(review.status(), 200, await review.text());

  await page.click('[data-nav="/audit"]');
  await page.waitForURL((url) => url.pathname === "/audit");
  await page.locator('[data-testid="audit-table"] [data-action="review"]').waitFor();
  const rows = await auditRows(page);
  const failed = rows.filter((row) => row.action === "login_failed");
  assert.equal(failed.length, 1, JSON.stringify(rows));
  assert.match(failed[0].text, /登录失败/);
  assert.ok(failed[0].text.includes(ADMIN.username), failed[0].text);
  assert.ok(failed[0].text.includes("127.0.0.1"), failed[0].text);
  assert.equal(failed[0].outcome, "失败");
  const reviewed = rows.filter((row) => row.action === "review");
  assert.equal(reviewed.length, 1);
  assert.ok(reviewed[0].text.includes(entryId), reviewed[0].text);
  assert.match(reviewed[0].text, /已退回/);
  assert.equal(reviewed[0].outcome, "成功");
  assert.deepEqual(
    rows.map((row) => row.action).slice(0, 3),
    ["review", "login", "login_failed"],
    "newest first",
  );
  assert.ok(rows.some((row) => row.action === "post_add"), "the CLI's actions are listed too");
  await screenshot(page, "17-audit-log");

  await page.click('[data-filter="action"]');
  await page.locator(".el-select-dropdown__item", { hasText: "登录失败" }).click();
  await page.click('[data-testid="audit-search"]');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="audit-table"] [data-action]')].every(
      (cell) => cell.getAttribute("data-action") === "login_failed",
    ),
  );
  assert.deepEqual(
    (await auditRows(page)).map((row) => row.action),
    ["login_failed"],
  );
  assert.deepEqual(browser.requestsElsewhere, []);
  assert.deepEqual(browser.pageErrors, []);
});

test("a viewer has no 操作记录, and the page refuses them with a reason", async () => {
  const viewer = await openBrowser();
  try {
    const { page } = viewer;
    await logIn(page, county.url, VIEWER.username, VIEWER.password);
    assert.equal(await page.locator('[data-nav="/audit"]').count(), 0, "no menu item");
    await page.goto(`${county.url}/audit`);
    const refusal = page.locator('[data-testid="audit-error"]');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /仅管理员/);
    assert.equal(await page.locator('[data-testid="audit-table"] [data-action]').count(), 0);
    const answer = await page.request.get(`${county.url}/api/v1/admin/audit`);
    assert.equal(answer.status(), 403);
  } finally {
    await viewer.close();
  }
});
