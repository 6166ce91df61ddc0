import { describe, expect, it } from "vitest";
import { openingYear, yearInAddress } from "./reportYear";

describe("the year a page shows", () => {
  it("takes a year of the address the server takes", () => {
    expect(yearInAddress("2024")).toEqual({ kind: "year", year: 2024 });
    expect(yearInAddress(" 2000 ")).toEqual({ kind: "year", year: 2000 });
    expect(yearInAddress("2100")).toEqual({ kind: "year", year: 2100 });
  });

  it("tells no year apart from one the server would refuse, keeping what was asked", () => {
    for (const none of [undefined, null, ""]) expect(yearInAddress(none)).toEqual({ kind: "none" });
    for (const [asked, text] of [
      ["1999", "1999"],
      ["2101", "2101"],
      ["24", "24"],
      ["2024.5", "2024.5"],
      ["abc", "abc"],
      [["2024", "2023"], "2024,2023"],
    ] as const) {
      expect(yearInAddress(asked)).toEqual({ kind: "refused", text });
    }
  });

  it("opens on the latest year with entries, else this year", () => {
    const january = new Date(2025, 0, 6);
    expect(openingYear(2024, january)).toBe(2024);
    expect(openingYear(null, january)).toBe(2025);
    expect(openingYear(undefined, january)).toBe(2025);
  });
});
