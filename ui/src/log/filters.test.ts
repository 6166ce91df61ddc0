import { describe, expect, it } from "vitest";
import {
  EMPTY_FILTERS,
  activeFilterCount,
  filtersToQuery,
  kindFilterOptions,
  reviewFilterOptions,
  reviewFromRoute,
  statusesFor,
} from "./filters";
import { i18n, setLocale } from "../i18n";

describe("log filters → list query", () => {
  it("leaves blank filters out", () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({});
    expect(activeFilterCount(EMPTY_FILTERS)).toBe(0);
  });

  it("passes kind, status, dates and a trimmed search", () => {
    expect(
      filtersToQuery({
        kind: "hazard",
        status: "open",
        review: "",
        author: "",
        since: "2024-03-01",
        until: "2024-03-31",
        search: "  铁网   冲毁 ",
      }),
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

describe("the review filter", () => {
  it("asks the store for the entries the county returned, and counts as a filter", () => {
    expect(filtersToQuery({ ...EMPTY_FILTERS, review: "returned" })).toEqual({ review: "returned" });
    expect(filtersToQuery({ ...EMPTY_FILTERS, author: " 王明 " })).toEqual({ author: "王明" });
    expect(activeFilterCount({ ...EMPTY_FILTERS, author: "王明", review: "returned" })).toBe(2);
    expect(activeFilterCount({ ...EMPTY_FILTERS, review: "returned" })).toBe(1);
    setLocale("zh-CN");
    expect(reviewFilterOptions(i18n.global.t).map((o) => o.text)).toEqual(["全部审核", "已退回", "已通过"]);
  });

  it("takes only a known decision from the route", () => {
    expect(reviewFromRoute("returned")).toBe("returned");
    expect(reviewFromRoute("approved")).toBe("approved");
    expect(reviewFromRoute("<script>")).toBe("");
    expect(reviewFromRoute(undefined)).toBe("");
  });
});

describe("the kind filter", () => {
  it("offers all kinds, then each of the six by its Chinese name", () => {
    setLocale("zh-CN");
    const options = kindFilterOptions(i18n.global.t);
    expect(options.map((o) => o.text)).toEqual(["全部类型", "巡逻", "隐患排查", "修复", "案件", "普法宣传", "活动"]);
    expect(options.map((o) => o.value)).toEqual(["", "patrol", "hazard", "repair", "incident", "outreach", "activity"]);
  });

  it("lists a new kind alone, with no status to choose", () => {
    for (const kind of ["incident", "outreach", "activity"] as const) {
      expect(filtersToQuery({ ...EMPTY_FILTERS, kind, status: "open" })).toEqual({ kind });
      expect(statusesFor(kind)).toEqual([]);
    }
  });
});
