import { describe, expect, it } from "vitest";
import { betterFix, fixAge, goodFix, listening, stateAfterFix, GOOD_FIX_ACCURACY_M } from "./settle";
import type { Fix } from "./position";

const fix = (accuracy_m: number | undefined, at = 0): Fix => ({ lat: 23.6, lon: 105.6, accuracy_m, at });

describe("settling on a position", () => {
  it("takes the first fix, then only ones at least as accurate", () => {
    expect(betterFix(null, fix(80))).toBe(true);
    expect(betterFix(fix(80), fix(35))).toBe(true);
    expect(betterFix(fix(35), fix(35, 5))).toBe(true);
    expect(betterFix(fix(35), fix(60))).toBe(false);
    expect(betterFix(fix(undefined), fix(60))).toBe(true);
    expect(betterFix(fix(60), fix(undefined))).toBe(false);
  });

  it("stops listening at 20 m or better, and goes on above", () => {
    expect(GOOD_FIX_ACCURACY_M).toBe(20);
    expect(goodFix(fix(20))).toBe(true);
    expect(goodFix(fix(20.5))).toBe(false);
    expect(goodFix(fix(undefined))).toBe(false);
    expect(stateAfterFix(fix(8))).toBe("good");
    expect(stateAfterFix(fix(45))).toBe("improving");
    expect(listening("improving")).toBe(true);
    expect(listening("accepted")).toBe(false);
    expect(listening("timed_out")).toBe(false);
  });

  it("says how old a fix is in seconds, minutes or hours", () => {
    expect(fixAge(fix(5, 10_000), 14_400)).toEqual({ unit: "seconds", n: 4 });
    expect(fixAge(fix(5, 0), 185_000)).toEqual({ unit: "minutes", n: 3 });
    expect(fixAge(fix(5, 0), 7_300_000)).toEqual({ unit: "hours", n: 2 });
    expect(fixAge(fix(5, 20_000), 10_000)).toEqual({ unit: "seconds", n: 0 });
  });
});
