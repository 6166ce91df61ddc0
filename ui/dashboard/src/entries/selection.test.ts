import { describe, expect, it } from "vitest";
import { pageSelection, selectedInListOrder, withEntry, withPage } from "./selection";

describe("the list's selection", () => {
  const page = ["e1", "e2", "e3"];

  it("ticks and unticks one row without changing the set it was given", () => {
    const none = new Set<string>();
    const one = withEntry(none, "e2", true);
    expect([...one]).toEqual(["e2"]);
    expect(none.size).toBe(0);
    expect([...withEntry(one, "e2", false)]).toEqual([]);
  });

  it("says whether none, some or all of the rows shown are ticked", () => {
    expect(pageSelection(new Set(), page)).toBe("none");
    expect(pageSelection(new Set(["e1"]), page)).toBe("some");
    expect(pageSelection(new Set(page), page)).toBe("all");
    expect(pageSelection(new Set(["elsewhere"]), page)).toBe("none");
  });

  it("selects all on this page, keeping what else was ticked, and clears the page again", () => {
    const all = withPage(new Set(["kept"]), page, true);
    expect(pageSelection(all, page)).toBe("all");
    expect(all.has("kept")).toBe(true);
    const cleared = withPage(all, page, false);
    expect([...cleared]).toEqual(["kept"]);
  });

  it("sends the ticked rows in the list's order, only those shown", () => {
    expect(selectedInListOrder(new Set(["e3", "e1", "gone"]), page)).toEqual(["e1", "e3"]);
  });
});
