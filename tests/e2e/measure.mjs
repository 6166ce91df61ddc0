// What a member with gloves in the sun needs of a screen, measured in the real window: every
// tappable element at least 48×48 px, no text under 14 px (what is typed into a field at least
// 16 px), and no short label (a button's, a tile's, a tab's: 8 characters or fewer) broken over
// two lines or cut short by an ellipsis. `measureScreen` runs in the page and returns every element that falls short.

/** Short labels that must stay on one line: at most this many characters. */
export const SHORT_LABEL_CHARS = 8;

// The page-side measurement, as the source of a function (WebDriver sends it as a string).
const MEASURE = `
const MIN_TARGET = 48, MIN_TEXT = 14, MIN_TYPED = 16, SHORT = arguments[0];
const TAPPABLE = [
  "button", "a[href]", "select", "textarea", "input:not([type=hidden])", "label",
  "[role=button]", "[role=tab]", "[role=radio]", "[role=checkbox]", "[role=switch]", "[role=link]",
  ".van-cell--clickable", ".van-tabbar-item", ".van-dropdown-menu__item", ".van-nav-bar__left",
  ".van-nav-bar__right", "[tabindex]:not([tabindex='-1'])",
].join(",");
function shown(element) {
  // A toast says something; it is not tapped.
  if (element.closest("[aria-hidden=true], .van-toast")) return false;
  const style = getComputedStyle(element);
  if (style.visibility === "hidden" || style.display === "none") return false;
  const rect = element.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0;
}
function name(element) {
  const test = element.closest("[data-test]");
  const text = (element.innerText || element.getAttribute("aria-label") || element.value || "").trim().slice(0, 24);
  const own = element.getAttribute("data-test") ? "" : "<" + element.tagName.toLowerCase() + (element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\\s+/).join(".") : "") + ">";
  return (test ? "[" + test.getAttribute("data-test") + "]" : "") + own + (text ? " “" + text.replace(/\\s+/g, " ") + "”" : "");
}
// A file input is tapped through its label; an input or label inside a Vant field through the
// field.
function target(element) {
  if (element.matches("input[type=file]")) return element.closest("label") || element;
  if (element.matches("input, textarea, label")) return element.closest(".van-field") || element;
  return element;
}
const problems = [];
const measured = new Set();
for (const element of document.querySelectorAll(TAPPABLE)) {
  if (!shown(element) && !element.matches("input[type=file]")) continue;
  if (element.disabled && element.matches("input[type=file]")) continue;
  const tapped = target(element);
  if (measured.has(tapped) || !shown(tapped)) continue;
  measured.add(tapped);
  // A tappable element inside a larger tappable one is tapped through it.
  const outer = tapped.parentElement && tapped.parentElement.closest(TAPPABLE);
  if (outer && outer !== tapped && shown(outer)) {
    const a = tapped.getBoundingClientRect(), b = outer.getBoundingClientRect();
    if (b.width >= MIN_TARGET && b.height >= MIN_TARGET && a.left >= b.left - 1 && a.right <= b.right + 1) continue;
  }
  const rect = tapped.getBoundingClientRect();
  if (rect.width < MIN_TARGET - 0.5 || rect.height < MIN_TARGET - 0.5) {
    problems.push({ rule: "target", what: name(tapped), size: Math.round(rect.width) + "×" + Math.round(rect.height) });
  }
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent.trim();
  const element = node.parentElement;
  if (!text || !element || !shown(element)) continue;
  const size = parseFloat(getComputedStyle(element).fontSize);
  if (size < MIN_TEXT - 0.01) problems.push({ rule: "text", what: name(element), size: size + "px" });
  const label = element.closest(TAPPABLE);
  const chars = [...text].length;
  if (label && chars <= SHORT && !/\\s/.test(text)) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    if (tops.size > 1) problems.push({ rule: "broken", what: name(element), size: tops.size + " lines" });
    // Nor cut short: an ellipsis or a clipped end hides part of the label.
    if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== "visible") {
      problems.push({ rule: "cut", what: name(element), size: element.clientWidth + "/" + element.scrollWidth + "px" });
    }
  }
}
for (const field of document.querySelectorAll("input:not([type=file]):not([type=hidden]), textarea")) {
  if (!shown(field)) continue;
  const size = parseFloat(getComputedStyle(field).fontSize);
  if (size < MIN_TYPED - 0.01) problems.push({ rule: "typed", what: name(field), size: size + "px" });
}
return problems;
`;

/** Every shortfall of the screen now shown: `[{rule, what, size}]`, empty when all is well. */
export async function measureScreen(driver) {
  return driver.executeScript(MEASURE, SHORT_LABEL_CHARS);
}

/** The shortfalls as lines for an assertion message. */
export function describeProblems(screen, problems) {
  return problems.map((problem) => `${screen}: ${problem.rule} ${problem.size} ${problem.what}`).join("\n");
}
