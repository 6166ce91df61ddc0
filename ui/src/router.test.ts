import { describe, expect, it } from "vitest";
import { createMemoryHistory } from "vue-router";
import { createAppRouter } from "./router";
import { canEditKind, editRouteOf } from "./entry/editRoute";

describe("editRouteOf", () => {
  it.each([
    ["patrol", "/patrol/e1/edit"],
    ["hazard", "/hazard/e1/edit"],
    ["repair", "/repair/e1/edit"],
    ["incident", "/incident/e1/edit"],
    ["outreach", "/outreach/e1/edit"],
    ["activity", "/activity/e1/edit"],
  ])("a %s is edited in its own form", async (kind, path) => {
    expect(editRouteOf(kind, "e1")).toBe(path);
    const router = createAppRouter(createMemoryHistory());
    await router.push(path);
    expect(router.currentRoute.value.name).toBe(`${kind}-edit`);
    expect(router.currentRoute.value.params.id).toBe("e1");
  });

  it("never sends a kind it does not know to another kind's form", () => {
    expect(canEditKind("duty_rota")).toBe(false);
    expect(editRouteOf("duty_rota", "e1")).toBe("/entry/e1");
  });

  it("has a form to record each new kind", async () => {
    const router = createAppRouter(createMemoryHistory());
    for (const kind of ["incident", "outreach", "activity"]) {
      await router.push(`/${kind}`);
      expect(router.currentRoute.value.name).toBe(kind);
      expect(router.currentRoute.value.meta.titleKey).toBe(`nav.${kind}`);
    }
  });
});
