import { describe, expect, it } from "vitest";
import { gapsText, missingCount } from "./deviceFacts";

describe("sequence gaps", () => {
  it("reads ranges and single records", () => {
    expect(gapsText([[400, 402], [517, 517]])).toBe("400–402、517");
    expect(gapsText([])).toBe("");
    expect(gapsText(null)).toBe("");
  });

  it("counts the records missing, both ends included", () => {
    expect(missingCount([[400, 402], [517, 517]])).toBe(4);
    expect(missingCount(undefined)).toBe(0);
  });
});
