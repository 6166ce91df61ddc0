import { afterEach, describe, expect, it } from "vitest";
import { i18n } from "../i18n";
import { categoryLabel, kindLabel, quantityText, reviewLabel, reviewTagType } from "./labels";

afterEach(() => {
  i18n.global.locale.value = "zh-CN";
});

describe("labels of the domain's codes", () => {
  it("names kinds, categories and review decisions in Chinese by default", () => {
    expect(kindLabel("hazard")).toBe("隐患排查");
    expect(categoryLabel("patrol", "joint", "联合巡逻")).toBe("联合巡逻");
    expect(categoryLabel("repair", "road", "水毁道路")).toBe("水毁道路");
    expect(categoryLabel("activity", "quarterly_meeting", null)).toBe("季度边境管控推进会");
    expect(reviewLabel(null)).toBe("待审核");
    expect(reviewLabel("returned")).toBe("已退回");
    expect([reviewTagType("approved"), reviewTagType("returned"), reviewTagType(null)]).toEqual(["success", "danger", "info"]);
  });

  it("falls back to the server's Chinese label for a code it does not know", () => {
    expect(categoryLabel("hazard", "flood", "洪水")).toBe("洪水");
    expect(categoryLabel("unknown_kind", "x", "某类")).toBe("某类");
  });

  it("follows the chosen language", () => {
    i18n.global.locale.value = "en-US";
    expect(kindLabel("patrol")).toBe("Patrol");
    expect(categoryLabel("patrol", "regular", "巡逻")).toBe("Patrol");
    expect(quantityText(200, "m")).toBe("200 m");
  });

  it("writes quantities with their unit, without float noise", () => {
    expect(quantityText(0.1 + 0.2, "km")).toBe("0.3 公里");
    expect(quantityText(45, "count")).toBe("45 处");
    expect(quantityText(null, "km")).toBe("");
  });
});
