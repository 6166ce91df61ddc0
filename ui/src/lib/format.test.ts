import { describe, expect, it } from "vitest";
import { formatBytes, formatDistance, formatDuration, formatRate, formatSize, formatSizeOf, metresToKm } from "./format";
import { shortClock, toLocalRfc3339 } from "./time";
import { bytesToBase64 } from "./files";

describe("durations", () => {
  it("reads mm:ss under an hour and h:mm:ss above", () => {
    expect(formatDuration(0)).toBe("00:00");
    expect(formatDuration(309_000)).toBe("05:09");
    expect(formatDuration(3_909_999)).toBe("1:05:09");
    expect(formatDuration(-5)).toBe("00:00");
    expect(formatDuration(Number.NaN)).toBe("00:00");
  });
});

describe("sizes of a sync on a slow link", () => {
  const MB = 1024 * 1024;
  it("reads whole KB under 1 MB and MB with one decimal above", () => {
    expect(formatSize(900 * 1024)).toBe("900 KB");
    expect(formatSize(1.2 * MB)).toBe("1.2 MB");
    expect(formatSize(12.5 * MB)).toBe("12.5 MB");
    expect(formatSize(300)).toBe("1 KB");
    expect(formatSize(0)).toBe("0 KB");
    expect(formatSize(1023.7 * 1024)).toBe("1.0 MB");
    expect(formatSize(Number.NaN)).toBe("0 KB");
  });

  it("reads sent of total in the total's unit, spaced or compact", () => {
    expect(formatSizeOf(1.2 * MB, 3.4 * MB)).toBe("1.2 / 3.4 MB");
    expect(formatSizeOf(1.2 * MB, 3.4 * MB, true)).toBe("1.2/3.4 MB");
    expect(formatSizeOf(300 * 1024, 900 * 1024)).toBe("300 / 900 KB");
    expect(formatSizeOf(900 * 1024, 12.5 * MB)).toBe("0.9 / 12.5 MB");
    expect(formatSizeOf(-1, Number.POSITIVE_INFINITY)).toBe("0 / 0 KB");
  });

  it("reads a rate in KB with one decimal under 100 KB", () => {
    expect(formatRate(7.8 * 1024)).toBe("7.8 KB");
    expect(formatRate(512)).toBe("0.5 KB");
    expect(formatRate(150 * 1024)).toBe("150 KB");
    expect(formatRate(1.5 * MB)).toBe("1.5 MB");
  });
});

describe("distances", () => {
  it("reads metres under a kilometre, kilometres above", () => {
    expect(formatDistance(849.6)).toBe("850 米");
    expect(formatDistance(1250)).toBe("1.25 公里");
    expect(formatDistance(12_345)).toBe("12.3 公里");
    expect(formatDistance(1250, "en-US")).toBe("1.25 km");
    expect(formatDistance(-1)).toBe("0 米");
    expect(metresToKm(1234.4)).toBe(1.234);
  });

  it("reads bytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(3_500)).toBe("3.4 KB");
    expect(formatBytes(12 * 1024 * 1024)).toBe("12.0 MB");
  });
});

describe("local time", () => {
  it("writes RFC 3339 with the device's offset", () => {
    const text = toLocalRfc3339(new Date(2024, 2, 2, 8, 10, 5));
    expect(text).toMatch(/^2024-03-02T08:10:05[+-]\d{2}:\d{2}$/);
    expect(new Date(text).getTime()).toBe(new Date(2024, 2, 2, 8, 10, 5).getTime());
  });

  it("shows the clock today, the date another day", () => {
    const now = new Date(2026, 10, 29, 15, 0);
    expect(shortClock(new Date(2026, 10, 29, 10, 42).toISOString(), now)).toBe("10:42");
    expect(shortClock(new Date(2026, 10, 28, 9, 5).toISOString(), now)).toBe("11-28 09:05");
    expect(shortClock("not a time", now)).toBe("not a time");
  });
});

describe("photo bytes", () => {
  it("encodes bytes as base64, also past one chunk", () => {
    expect(bytesToBase64(new Uint8Array([255, 216, 255]))).toBe("/9j/");
    const big = new Uint8Array(0x8000 * 2 + 3).fill(65);
    expect(atob(bytesToBase64(big))).toHaveLength(big.length);
  });
});
