import { describe, expect, it } from "vitest";
import { checkPostName } from "./postName";

describe("checkPostName", () => {
  it("refuses a blank name and one over 40 characters", () => {
    expect(checkPostName("   ")).toBe("nameRequired");
    expect(checkPostName("田".repeat(41))).toBe("nameTooLong");
  });

  it("takes a name of up to 40 characters, counted as characters, not bytes", () => {
    expect(checkPostName("田蓬联防所")).toBeNull();
    expect(checkPostName("田".repeat(40))).toBeNull();
  });
});
