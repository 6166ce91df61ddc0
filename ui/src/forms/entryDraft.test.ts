import { describe, expect, it } from "vitest";
import { checkWhen, occurredAtOf, whenOf, whenToDate } from "./entryDraft";
import { toLocalRfc3339 } from "../lib/time";
import { translatorFor } from "../i18n";

/** The forms' checks as a member using the app in Chinese reads them. */
const zh = translatorFor("zh-CN");

describe("when it happened", () => {
  const now = new Date(2024, 2, 5, 20, 0);

  it("is now when the member says nothing, else the wall time chosen", () => {
    expect(occurredAtOf("", now)).toBe(toLocalRfc3339(now));
    expect(occurredAtOf("2024-03-04 15:30", now)).toBe(toLocalRfc3339(new Date(2024, 2, 4, 15, 30)));
  });

  it("reads a stored time in the offset it was recorded in", () => {
    expect(whenOf("2024-03-02T09:00:37+08:00")).toBe("2024-03-02 09:00");
    expect(whenOf("2024-03-02T09:00:00+07:00")).toBe("2024-03-02 09:00");
    expect(whenOf("not a time")).toBe("");
  });

  it("refuses a time that is not one, or later than now", () => {
    expect(whenToDate("2024-02-30 10:00")).toBeNull();
    expect(whenToDate("2024-03-02 24:10")).toBeNull();
    expect(checkWhen("2024-02-30 10:00", zh, now)).toEqual({ occurred_at: "时间应如 2024-03-02 09:00" });
    expect(checkWhen("2024-03-06 09:00", zh, now)).toEqual({ occurred_at: "发生时间不能晚于现在" });
    expect(checkWhen("2024-03-05 20:04", zh, now)).toEqual({});
    expect(checkWhen("2024-03-04 15:30", zh, now)).toEqual({});
    expect(checkWhen("", zh, now)).toEqual({});
  });
});
