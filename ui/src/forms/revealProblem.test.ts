import { describe, expect, it } from "vitest";
import { changedValueKeys, problemKeysOf, withoutSettled } from "./revealProblem";

describe("a problem goes when its field is changed", () => {
  it("maps a form value to the problems it settles", () => {
    expect(problemKeysOf("crimeType")).toEqual(["crime_type"]);
    expect(problemKeysOf("audience")).toEqual(["audience"]);
    expect(problemKeysOf("when")).toEqual(["occurred_at", "ended_at"]);
    expect(problemKeysOf("until")).toEqual(["ended_at"]);
    expect(problemKeysOf("distanceKm")).toEqual(["distance_km"]);
    expect(problemKeysOf("lat")).toEqual(["lat", "location"]);
    expect(problemKeysOf("after")).toEqual(["photos"]);
  });

  it("drops only the problems of the values that changed", () => {
    const errors = { audience: "受教育人数应为 1 到 100000 的整数", village: "请填写宣传村寨" };
    const changed = changedValueKeys({ audience: "120", village: "", photos: ["a"] }, { audience: "0", village: "", photos: ["a"] });
    expect(changed).toEqual(["audience"]);
    expect(withoutSettled(errors, changed)).toEqual({ village: "请填写宣传村寨" });
    expect(withoutSettled(errors, ["topic"])).toBe(errors);
  });
});
