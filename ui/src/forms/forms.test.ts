import { afterEach, describe, expect, it, vi } from "vitest";
import { debounce, isTouched, parseDraft, serializeDraft } from "./drafts";
import { checkCoordinates, errorToFieldErrors, formFieldOf, parseNumber, problemsToFieldErrors } from "./problems";
import { translatorFor } from "../i18n";

/** The forms' checks as a member using the app in Chinese reads them. */
const zh = translatorFor("zh-CN");

describe("drafts", () => {
  const defaults = { category: "", quantity: "", photos: [] as string[] };

  it("round-trips a form's values", () => {
    const values = { category: "fence", quantity: "30", photos: ["abc"] };
    expect(parseDraft("repair", serializeDraft("repair", values), defaults)).toEqual(values);
  });

  it("refuses another form's draft, broken JSON and another version", () => {
    const json = serializeDraft("hazard", { category: "fence", quantity: "", photos: [] });
    expect(parseDraft("repair", json, defaults)).toBeNull();
    expect(parseDraft("repair", "{not json", defaults)).toBeNull();
    expect(parseDraft("repair", null, defaults)).toBeNull();
    expect(parseDraft("repair", JSON.stringify({ v: 99, form: "repair", values: {} }), defaults)).toBeNull();
  });

  it("keeps only known keys of the right type", () => {
    const json = JSON.stringify({ v: 1, form: "repair", values: { category: 7, quantity: "2", photos: "x", extra: 1 } });
    expect(parseDraft("repair", json, defaults)).toEqual({ category: "", quantity: "2", photos: [] });
  });

  it("knows an untouched form", () => {
    expect(isTouched({ ...defaults }, defaults)).toBe(false);
    expect(isTouched({ ...defaults, quantity: "1" }, defaults)).toBe(true);
  });

  describe("debounce", () => {
    afterEach(() => vi.useRealTimers());
    it("runs once after the last call, and at once on flush", () => {
      vi.useFakeTimers();
      const fn = vi.fn();
      const run = debounce(fn, 500);
      run(1);
      run(2);
      vi.advanceTimersByTime(499);
      expect(fn).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(fn).toHaveBeenCalledTimes(1);
      expect(fn).toHaveBeenLastCalledWith(2);
      run(3);
      run.flush();
      expect(fn).toHaveBeenLastCalledWith(3);
      run(4);
      run.cancel();
      vi.advanceTimersByTime(1000);
      expect(fn).toHaveBeenCalledTimes(2);
    });
  });
});

describe("problems to form fields", () => {
  it.each([
    ["body.description", "description"],
    ["body.partners[1].count", "partners"],
    ["body.quantity", "quantity"],
    ["location.lat", "lat"],
    ["location.lon", "lon"],
    ["location", "location"],
    ["location.accuracy_m", "location"],
    ["photos", "photos"],
    ["occurred_at", "occurred_at"],
    ["", "form"],
  ])("%s → %s", (path, field) => {
    expect(formFieldOf(path)).toBe(field);
  });

  it("puts each problem's Chinese message under its field, joining two of one field", () => {
    const errors = problemsToFieldErrors([
      { field: "body.quantity", message: "数量必须大于 0", message_en: "quantity must be greater than 0" },
      { field: "body.partners[0].count", message: "人数应为 1 到 10000 的整数" },
      { field: "body.partners[1].unit", message_zh: "未知的协同单位" },
    ]);
    expect(errors).toEqual({ quantity: "数量必须大于 0", partners: "人数应为 1 到 10000 的整数；未知的协同单位" });
    expect(problemsToFieldErrors([{ field: "body.quantity", message: "数量必须大于 0", message_en: "too small" }], true)).toEqual({
      quantity: "too small",
    });
    const english = problemsToFieldErrors(
      [
        { field: "body.partners[0].count", message: "人数应为 1 到 10000 的整数", message_en: "count must be a whole number from 1 to 10000" },
        { field: "body.partners[1].unit", message: "未知的协同单位", message_en: "unknown partner unit" },
      ],
      true,
    );
    expect(english).toEqual({ partners: "count must be a whole number from 1 to 10000; unknown partner unit" });
  });

  it("falls back to the error's message for the whole form", () => {
    expect(errorToFieldErrors({ kind: "database", message: "本机数据库出错" })).toEqual({ form: "本机数据库出错" });
    expect(errorToFieldErrors({ kind: "invalid", message: "x", problems: [] })).toEqual({ form: "x" });
  });

  it("checks typed coordinates", () => {
    expect(checkCoordinates("", "", zh)).toEqual({});
    expect(checkCoordinates("23.6", "105.6", zh)).toEqual({});
    expect(checkCoordinates("95", "105.6", zh)).toEqual({ lat: "纬度应在 -90 到 90 之间" });
    expect(checkCoordinates("23.6", "", zh)).toEqual({ lon: "经度应在 -180 到 180 之间" });
    expect(checkCoordinates("0", "0", zh).location).toContain("(0, 0)");
  });

  it("reads numbers typed with a Chinese comma", () => {
    expect(parseNumber(" 7，2 ")).toBe(7.2);
    expect(parseNumber("")).toBeNull();
    expect(parseNumber("abc")).toBeNull();
    expect(parseNumber(3)).toBe(3);
  });
});
