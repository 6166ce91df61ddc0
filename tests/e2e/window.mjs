// Driving the app window as a member does, shared by the e2e tests: read text as rendered,
// click (again while a toast covers the element), type (with the input event Vue needs), the
// route, screenshots taken after the screen has painted, the lock screen (`unlockAs`: pick a
// member, type the PIN), and a stand-in GPS (`installFakeGps`, `gpsFix`).
import { By, until } from "selenium-webdriver";
import { saveScreenshot } from "./harness.mjs";

export const css = (selector) => By.css(selector);
export const test$ = (name) => `[data-test="${name}"]`;

/**
 * In the page, for a Vant date picker, its wheel `arguments[1]` and the row text wanted:
 * `{done}` when the wheel stands on it, else `{tap, at}`: the row to tap (of those wholly shown,
 * the nearest the one wanted) and the row it stands on.
 */
const NEXT_ROW_TOWARDS = `
const [picker, wheel, wanted] = arguments;
const column = picker.querySelectorAll(".van-picker-column")[wheel];
if (!column) return { error: "no such wheel" };
const rows = [...column.querySelectorAll(".van-picker-column__item")];
const at = rows.findIndex((row) => row.classList.contains("van-picker-column__item--selected"));
const goal = rows.findIndex((row) => row.textContent.trim() === wanted);
if (goal < 0) return { error: "no row " + wanted + " among " + rows.map((row) => row.textContent.trim()).join(" ") };
if (at === goal) return { done: true };
const box = column.getBoundingClientRect();
const shown = rows
  .map((row, index) => [index, row.getBoundingClientRect()])
  .filter(([, rect]) => rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1)
  .map(([index]) => index);
const tap = shown.reduce((best, index) => (Math.abs(index - goal) < Math.abs(best - goal) ? index : best), at);
return { tap, at };
`;

/**
 * The helpers over the WebDriver session `session()` returns (a function, so a test that
 * relaunches the app keeps using them).
 */
export function windowHelpers(session) {
  // WebKitWebDriver's Get Element Text leaves out text under overflow: hidden; read innerText.
  async function textOf(selector, timeout = 10_000) {
    const driver = session();
    const element = await driver.wait(until.elementLocated(css(selector)), timeout);
    return driver.executeScript("return arguments[0].innerText.trim()", element);
  }

  async function click(selector, timeout = 10_000) {
    const driver = session();
    const element = await driver.wait(until.elementLocated(css(selector)), timeout);
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    await driver.wait(until.elementIsVisible(element), timeout);
    // A toast or a bar still settling may cover the element for a moment: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await element.click();
        return;
      } catch (error) {
        if (error.name !== "ElementClickInterceptedError" || attempt >= 8) throw error;
        await driver.sleep(250);
        await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
      }
    }
  }

  async function type(selector, text) {
    const driver = session();
    const element = await driver.wait(until.elementLocated(css(selector)), 10_000);
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    // WebDriver's Element Clear fires no input event, so Vue would keep the old value: empty
    // the field the way typing would, then type.
    await driver.executeScript(
      "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
      element,
    );
    if (text !== "") await element.sendKeys(text);
  }

  async function route() {
    return session().executeScript("return location.hash");
  }

  async function waitForRoute(hash, timeout = 10_000) {
    await session().wait(async () => (await route()) === hash, timeout, `route ${hash}`);
  }

  /** Scrolls to the top and resolves once two frames are painted. */
  async function afterPaint() {
    await session().executeAsyncScript(
      "const done = arguments[arguments.length - 1];" +
        "window.scrollTo(0, 0);" +
        "requestAnimationFrame(() => requestAnimationFrame(() => done()));",
    );
  }

  /** Resolves once a toast from the last action has faded (at most 5 s). */
  async function afterToast() {
    const driver = session();
    await driver
      .wait(async () => {
        for (const toast of await driver.findElements(css(".van-toast"))) if (await toast.isDisplayed()) return false;
        return true;
      }, 5_000)
      .catch(() => {});
  }

  /** A screenshot of the screen from its top, once a toast from the last action has faded. */
  async function shot(name) {
    await afterToast();
    await afterPaint();
    console.log(`screenshot: ${await saveScreenshot(session(), name)}`);
  }

  /** A screenshot with `selector` in the middle of the screen (the lower part of a long form). */
  async function shotAt(name, selector) {
    await afterToast();
    const driver = session();
    const element = await driver.findElement(css(selector));
    await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
    await driver.executeAsyncScript(
      "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
    );
    console.log(`screenshot: ${await saveScreenshot(driver, name)}`);
  }

  /**
   * Goes through the lock screen as a member does: on a phone with no members, types `name`
   * and a new `pin` twice (the first member becomes the post leader); else taps `name`'s tile
   * and types the PIN, or, for a member without one yet, sets it (typed twice). Resolves once
   * the app's frame (the sync chip) shows.
   */
  async function unlockAs(name, pin, timeout = 30_000) {
    const driver = session();
    await driver.wait(until.elementLocated(css(test$("lock-screen"))), timeout);
    await driver.wait(
      async () =>
        (await driver.findElements(css(test$("lock-name")))).length > 0 ||
        (await driver.findElements(css(test$(`lock-member-${name}`)))).length > 0,
      timeout,
      `the lock screen offers ${name}`,
    );
    if ((await driver.findElements(css(test$("lock-name")))).length === 0) {
      await click(test$(`lock-member-${name}`));
      await driver.wait(until.elementLocated(css(test$("lock-pin"))), 10_000);
    } else {
      await type(test$("lock-name"), name);
    }
    await type(test$("lock-pin"), pin);
    if ((await driver.findElements(css(test$("lock-pin-again")))).length > 0) {
      await type(test$("lock-pin-again"), pin);
    }
    await click(test$("lock-submit"));
    await driver.wait(until.elementLocated(css(test$("sync-chip"))), timeout);
    await driver.wait(async () => (await driver.findElements(css(test$("lock-screen")))).length === 0, timeout, "unlocked");
  }

  /**
   * Replaces the page's GPS with a stand-in: `gpsFix(lat, lon, accuracy, at)` then feeds every
   * watcher (the desktop webview has no GPS of its own). Resolves to the number of watchers fed.
   */
  async function installFakeGps() {
    await session().executeScript(`
      const watchers = new Map();
      let next = 1;
      window.__fakeGps = {
        fix(lat, lon, accuracy, at) {
          const position = {
            coords: { latitude: lat, longitude: lon, accuracy: accuracy ?? 5, altitude: null,
                      altitudeAccuracy: null, heading: null, speed: null },
            timestamp: at ?? Date.now(),
          };
          for (const ok of [...watchers.values()]) ok(position);
          return watchers.size;
        },
      };
      Object.defineProperty(navigator, "geolocation", {
        configurable: true,
        value: {
          watchPosition(ok) { const id = next++; watchers.set(id, ok); return id; },
          clearWatch(id) { watchers.delete(id); },
          getCurrentPosition() {},
        },
      });`);
  }

  async function gpsFix(lat, lon, accuracy = 5, at = Date.now()) {
    return session().executeScript("return window.__fakeGps.fix(...arguments)", lat, lon, accuracy, at);
  }

  /**
   * Chooses `day` ("YYYY-MM-DD") in a date field (`components/DayField.vue`, test name `testId`)
   * as a member does: taps the field, then on each wheel (year, month, day) taps the shown row
   * nearest the one wanted until the wheel stands on it, and taps Confirm.
   */
  async function pickDay(testId, day) {
    const driver = session();
    // On a loaded machine the first tap can come while what holds the field still moves: tap
    // again if the wheels have not come up.
    let picker = null;
    for (let attempt = 1; !picker; attempt++) {
      await click(test$(`${testId}-field`));
      picker = await driver.wait(until.elementLocated(css(test$(`${testId}-picker`))), 4_000).catch((error) => {
        if (attempt >= 3) throw error;
        return null;
      });
    }
    await driver.wait(until.elementIsVisible(picker), 10_000);
    await driver.sleep(400); // the popup slides up
    for (const [wheel, wanted] of day.split("-").entries()) {
      for (let taps = 0; ; taps++) {
        const step = await driver.executeScript(NEXT_ROW_TOWARDS, picker, wheel, wanted);
        if (step.error) throw new Error(`${testId} wheel ${wheel}: ${step.error}`);
        if (step.done) break;
        if (taps >= 40) throw new Error(`${testId} wheel ${wheel}: still at row ${step.at} after 40 taps, not ${wanted}`);
        const rows = await picker.findElements(css(`.van-picker-column:nth-child(${wheel + 1}) .van-picker-column__item`));
        await rows[step.tap].click();
        // The wheel turns for 200 ms; the next row to tap is measured once it has stopped.
        await driver.sleep(350);
      }
    }
    await picker.findElement(css(".van-picker__confirm")).click();
    await driver.wait(async () => !(await picker.isDisplayed()), 10_000, `${testId}'s wheels put away`);
  }

  return { textOf, click, type, route, waitForRoute, afterPaint, shot, shotAt, unlockAs, installFakeGps, gpsFix, pickDay };
}
