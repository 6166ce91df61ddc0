import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, activeFilterCount, filtersToQuery, statusesFor } from "./filters";

describe("log filters → list query", () => {
  it("leaves blank filters out", () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({});
    expect(activeFilterCount(EMPTY_FILTERS)).toBe(0);
  });

  it("passes kind, status, dates and a trimmed search", () => {
    expect(
      filtersToQuery({ kind: "hazard", status: "open", since: "2024-03-01", until: "2024-03-31", search: "  铁网   冲毁 " }),
    ).toEqual({ kind: "hazard", status: "open", since: "2024-03-01", until: "2024-03-31", search: "铁网 冲毁" });
  });

  it("puts a reversed date range in order and drops text that is no date", () => {
    expect(filtersToQuery({ ...EMPTY_FILTERS, since: "2024-03-31", until: "2024-03-01" })).toEqual({
      since: "2024-03-01",
      until: "2024-03-31",
    });
    expect(filtersToQuery({ ...EMPTY_FILTERS, since: "yesterday" })).toEqual({});
  });

  it("drops a status the kind cannot have", () => {
    expect(filtersToQuery({ ...EMPTY_FILTERS, kind: "repair", status: "open" })).toEqual({ kind: "repair" });
    expect(statusesFor("patrol")).toEqual(["running", "ended"]);
    expect(activeFilterCount({ ...EMPTY_FILTERS, kind: "hazard", search: "界碑" })).toBe(2);
  });
});
