// Enrolment by link, in the real app window at 360×640 against a real county-server: the app
// is opened with the dashboard's `patrollog://enrol?server=…&code=…` link (as the desktop hands
// a link to the app it is registered for, and the phone's camera does from the QR code); after
// the member unlocks, Settings shows the address the link carries, filled in, and enrols on a
// tap. Before that, a link whose address has no server behind it is told as such, not blamed
// on the signal; the right link pasted into the address field fills both fields.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { until } from "selenium-webdriver";
import { closePhone, countyAdmin, openPhone, startCountyServer } from "./harness.mjs";
import { css, test$, windowHelpers } from "./window.mjs";

let phone;
let driver;
let county;
let code;
const STEP = { timeout: 180_000 };

const enrolLink = (server, enrolmentCode) =>
  `patrollog://enrol?server=${encodeURIComponent(server)}&code=${encodeURIComponent(enrolmentCode)}`;

/** A loopback port with nothing listening (the county server's, plus one nobody took). */
function portWithNoServer(url) {
  return Number(new URL(url).port) === 65535 ? 65534 : Number(new URL(url).port) + 1;
}

before(async () => {
  county = await startCountyServer(mkdtempSync(join(tmpdir(), "patrol-log-e2e-link-")));
  const post = countyAdmin(county.database, ["post", "add", "田蓬联防所"]).split(/\s+/).pop();
  code = countyAdmin(county.database, ["enroll-code", post]).split(/\s+/).pop();
  const wrongAddress = county.url.replace(/:\d+$/, `:${portWithNoServer(county.url)}`);
  phone = await openPhone({ args: [enrolLink(wrongAddress, code)] });
  driver = phone.driver;
}, STEP);

after(async () => {
  await closePhone(phone);
  if (county) await county.stop();
});

const { textOf, click, waitForRoute, shot, unlockAs } = windowHelpers(() => driver);

test("the link the app was opened with fills Settings; its address with no server is told as such", STEP, async () => {
  await unlockAs("李国华", "2580");
  await waitForRoute("#/settings", 15_000);
  const wrongAddress = county.url.replace(/:\d+$/, `:${portWithNoServer(county.url)}`);
  assert.equal(await textOf(test$("settings-from-link-address")), wrongAddress);
  assert.equal(await driver.findElement(css(`${test$("settings-server-url")} input`)).getAttribute("value"), wrongAddress);
  assert.equal(await driver.findElement(css(`${test$("settings-code")} input`)).getAttribute("value"), code);
  await shot("settings-from-link-360x640.png");
  await click(test$("settings-enroll"));
  await driver.wait(until.elementLocated(css(test$("form-error"))), 30_000);
  const message = await textOf(test$("form-error"));
  assert.match(message, /上没有服务器在运行（连接被拒绝）/);
  assert.doesNotMatch(message, /信号/, "a wrong address is not blamed on the signal");
  await shot("settings-no-server-at-address-360x640.png");
});

test("the right link pasted into the address field fills both fields, and a tap enrols the phone", STEP, async () => {
  // Pasted: the whole link arrives in the field at once.
  await driver.executeScript(
    "const input = document.querySelector(arguments[0]); input.value = arguments[1]; input.dispatchEvent(new Event('input', { bubbles: true }));",
    `${test$("settings-server-url")} input`,
    enrolLink(county.url, code),
  );
  await driver.wait(
    async () => (await driver.findElement(css(`${test$("settings-server-url")} input`)).getAttribute("value")) === county.url,
    10_000,
    "the address from the pasted link",
  );
  assert.equal(await driver.findElement(css(`${test$("settings-code")} input`)).getAttribute("value"), code);
  assert.equal(await textOf(test$("settings-from-link-address")), county.url);
  await click(test$("settings-enroll"));
  await driver.wait(until.elementLocated(css(test$("settings-enrolled"))), 30_000);
  assert.match(await textOf(test$("settings-enrolled")), /田蓬联防所/);
  const devices = countyAdmin(county.database, ["device", "list"]);
  assert.match(devices, /巡防日志/, devices);
});
