// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { shortcutOf, type KeyPress } from "./reviewShortcuts";

function press(key: string, more: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, altKey: false, metaKey: false, target: document.body, ...more };
}

describe("the review keys", () => {
  it("are A approve and next, R return, J next, K previous, either case", () => {
    expect(shortcutOf(press("a"))).toBe("approveAndNext");
    expect(shortcutOf(press("A"))).toBe("approveAndNext");
    expect(shortcutOf(press("r"))).toBe("return");
    expect(shortcutOf(press("j"))).toBe("next");
    expect(shortcutOf(press("k"))).toBe("previous");
    expect(shortcutOf(press("x"))).toBeNull();
    expect(shortcutOf(press("Enter"))).toBeNull();
  });

  it("are not keys typed into a field", () => {
    const input = document.createElement("input");
    const textarea = document.createElement("textarea");
    const editable = document.createElement("div");
    editable.setAttribute("contenteditable", "true");
    const inside = document.createElement("span");
    editable.appendChild(inside);
    document.body.append(input, textarea, editable);
    for (const target of [input, textarea, inside]) expect(shortcutOf(press("a", { target }))).toBeNull();
  });

  it("leave the browser's own shortcuts and a held key alone", () => {
    expect(shortcutOf(press("r", { ctrlKey: true }))).toBeNull();
    expect(shortcutOf(press("a", { metaKey: true }))).toBeNull();
    expect(shortcutOf(press("j", { altKey: true }))).toBeNull();
    expect(shortcutOf(press("a", { repeat: true }))).toBeNull();
  });
});
