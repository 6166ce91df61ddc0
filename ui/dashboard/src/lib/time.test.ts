import { describe, expect, it } from "vitest";
import { formatAgo, formatClockOffset, formatEntryTime, formatSpan } from "./time";

const now = Date.parse("2024-11-29T12:00:00Z");
const HOUR = 3_600_000;

describe("formatAgo", () => {
  it("reads a last contact the way the office says it", () => {
    expect(formatAgo(now - 3 * HOUR, now)).toBe("3 小时前");
    expect(formatAgo(now - 3 * HOUR - 59 * 60_000, now)).toBe("3 小时前");
    expect(formatAgo(now - 20_000, now)).toBe("刚刚");
    expect(formatAgo(now - 12 * 60_000, now)).toBe("12 分钟前");
    expect(formatAgo(now - 5 * 24 * HOUR, now)).toBe("5 天前");
    expect(formatAgo(null, now)).toBe("从未");
  });

  it("gives the date after 30 days, and English when chosen", () => {
    expect(formatAgo(Date.parse("2024-09-01T04:00:00Z"), now)).toMatch(/^2024-09-0[12]$/);
    expect(formatAgo(now - 3 * HOUR, now, "en-US")).toBe("3 h ago");
    expect(formatAgo(now - 24 * HOUR, now, "en-US")).toBe("1 day ago");
  });

  it("treats a contact stamped slightly in the future as just now", () => {
    expect(formatAgo(now + 5_000, now)).toBe("刚刚");
  });
});

describe("formatSpan and formatClockOffset", () => {
  it("says how long in the largest whole unit", () => {
    expect(formatSpan(3_600_000)).toBe("1 小时");
    expect(formatSpan(1_200)).toBe("1.2 秒");
    expect(formatSpan(45_000)).toBe("45 秒");
    expect(formatSpan(3 * 24 * HOUR + 5)).toBe("3 天");
    expect(formatSpan(null)).toBe("—");
  });

  it("calls a negative offset (server − device) a fast device clock", () => {
    expect(formatClockOffset(-1_200)).toBe("快 1.2 秒");
    expect(formatClockOffset(2 * 24 * HOUR)).toBe("慢 2 天");
    expect(formatClockOffset(120)).toBe("准确");
    expect(formatClockOffset(-90_000, "en-US")).toBe("1 min ahead");
  });
});

describe("formatEntryTime", () => {
  it("keeps the member's wall clock, whatever the office's zone", () => {
    expect(formatEntryTime("2024-03-02T08:10:00+08:00")).toBe("2024-03-02 08:10");
    expect(formatEntryTime("2024-03-02T23:59:59.123-05:00")).toBe("2024-03-02 23:59");
    expect(formatEntryTime(null)).toBe("");
  });
});
