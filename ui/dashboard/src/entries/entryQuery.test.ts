import { describe, expect, it } from "vitest";
import { queryString } from "../api/client";
import { emptyFilters, entriesExportQuery, entriesRequestQuery, filtersFromRoute, filtersToRouteQuery, hasFilters } from "./entryQuery";

describe("entries query", () => {
  it("asks for the first page with only the filters set", () => {
    const filters = { ...emptyFilters(), kind: "hazard", q: "  铁网 " };
    expect(queryString(entriesRequestQuery(filters))).toBe("?kind=hazard&q=%E9%93%81%E7%BD%91&limit=50");
  });

  it("carries the cursor of the previous page for the next one", () => {
    const query = entriesRequestQuery({ ...emptyFilters(), post: "p1" }, "1709338200000_0190", 20);
    expect(query).toMatchObject({ post: "p1", cursor: "1709338200000_0190", limit: 20 });
  });

  it("puts a reversed date range in order", () => {
    const query = entriesRequestQuery({ ...emptyFilters(), from: "2024-03-31", to: "2024-03-01" });
    expect(query.from).toBe("2024-03-01");
    expect(query.to).toBe("2024-03-31");
  });

  it("reads the filters back from the page address, dropping what it does not know", () => {
    const filters = filtersFromRoute({
      kind: "repair",
      status: "fixed",
      review: "returned",
      from: "2024-01-01",
      to: "not a day",
      q: "界碑123",
      extra: "x",
    });
    expect(filters).toEqual({ ...emptyFilters(), kind: "repair", from: "2024-01-01", status: "fixed", review: "returned", q: "界碑123" });
    expect(filtersFromRoute({ kind: "rocket", review: "maybe" })).toEqual(emptyFilters());
  });

  it("writes only the set filters to the address, and round-trips them", () => {
    const filters = { ...emptyFilters(), kind: "patrol", from: "2024-02-01", q: " 联合 " };
    const query = filtersToRouteQuery(filters);
    expect(query).toEqual({ kind: "patrol", from: "2024-02-01", q: "联合" });
    expect(filtersFromRoute(query)).toEqual({ ...filters, q: "联合" });
    expect(hasFilters(emptyFilters())).toBe(false);
    expect(hasFilters(filters)).toBe(true);
  });

  it("keeps severity, member and 退回未改 in the address, dropping an unknown severity", () => {
    const filters = { ...emptyFilters(), severity: "high", author: " 王明 ", returnedUnfixed: true, review: "returned" };
    const query = filtersToRouteQuery(filters);
    expect(query).toEqual({ review: "returned", severity: "high", author: "王明", returned_unfixed: "true" });
    expect(filtersFromRoute(query)).toEqual({ ...filters, author: "王明" });
    expect(filtersFromRoute({ severity: "huge", returned_unfixed: "yes" })).toEqual(emptyFilters());
    expect(hasFilters({ ...emptyFilters(), returnedUnfixed: true })).toBe(true);
  });

  it("asks the list for the new filters by the API's names", () => {
    const filters = { ...emptyFilters(), severity: "critical", author: "李国华", returnedUnfixed: true };
    expect(queryString(entriesRequestQuery(filters))).toBe(
      `?severity=critical&author=${encodeURIComponent("李国华")}&returned_unfixed=true&limit=50`,
    );
    expect(entriesRequestQuery(emptyFilters())).not.toHaveProperty("returned_unfixed", false);
  });

  it("exports exactly the filters the list shows, with the format and no page size or cursor", () => {
    const filters = { ...emptyFilters(), kind: "hazard", severity: "high", author: "王明", from: "2024-12-31", to: "2024-01-01" };
    expect(queryString(entriesExportQuery(filters, "csv"))).toBe(
      `?format=csv&kind=hazard&from=2024-01-01&to=2024-12-31&severity=high&author=${encodeURIComponent("王明")}`,
    );
    expect(entriesExportQuery(emptyFilters(), "xlsx")).toEqual(expect.objectContaining({ format: "xlsx" }));
    expect(queryString(entriesExportQuery(emptyFilters(), "xlsx"))).toBe("?format=xlsx");
  });
});
