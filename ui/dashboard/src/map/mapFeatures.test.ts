import { describe, expect, it } from "vitest";
import type { MapFeature, MapFeatureProperties } from "../api/types";
import { ageClass, featureBounds, isOpenHazard, legendCounts, legendOf, mapSources, severityRank, visibleFeatures } from "./mapFeatures";

const NOW = new Date("2024-09-01T00:00:00+08:00");

function point(kind: MapFeatureProperties["kind"], status: string | null = null, extra: Partial<MapFeatureProperties> = {}): MapFeature {
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [105.63, 23.62] },
    properties: {
      id: `${kind}-${status}-${extra.severity ?? ""}`,
      kind,
      category: null,
      title_zh: "",
      status,
      occurred_at: "2024-08-25T08:10:00+08:00",
      post_name: "田蓬联防所",
      ...extra,
    },
  };
}

const track: MapFeature = {
  type: "Feature",
  geometry: { type: "LineString", coordinates: [[105.6, 23.6], [105.61, 23.65]] },
  properties: { id: "t", kind: "patrol", category: null, title_zh: "巡逻", status: "ended", occurred_at: "2024-03-02T08:10:00+08:00", post_name: "田蓬联防所" },
};

describe("the map's features", () => {
  it("files each feature under its legend entry", () => {
    expect(legendOf(track)).toBe("patrol");
    expect(legendOf(point("patrol", "ended"))).toBe("patrol");
    expect(legendOf(point("hazard", "open"))).toBe("hazardOpen");
    expect(legendOf(point("hazard", "fixed"))).toBe("hazardFixed");
    expect(legendOf(point("repair"))).toBe("repair");
    for (const kind of ["incident", "outreach", "activity"] as const) expect(legendOf(point(kind))).toBe("other");
  });

  it("ranks severities low 1 … critical 4, and 0 when there is none", () => {
    expect(["low", "medium", "high", "critical"].map(severityRank)).toEqual([1, 2, 3, 4]);
    expect(severityRank(undefined)).toBe(0);
    expect(severityRank("extreme")).toBe(0);
  });

  it("classes an open hazard's age: under 30 days, 30–90 days, over 90 days", () => {
    expect(ageClass("2024-08-25T08:00:00+08:00", NOW)).toBe(0);
    expect(ageClass("2024-07-15T08:00:00+08:00", NOW)).toBe(1);
    expect(ageClass("2024-03-01T08:00:00+08:00", NOW)).toBe(2);
    expect(ageClass("2024-09-05T08:00:00+08:00", NOW)).toBe(0); // a clock ahead: new
  });

  it("puts open hazards in their own source, with rank and age, and the rest in the other", () => {
    const open = point("hazard", "open", { severity: "critical", occurred_at: "2024-05-01T08:00:00+08:00" });
    const sources = mapSources([track, open, point("hazard", "fixed", { severity: "high" }), point("repair")], NOW);
    expect(sources.openHazards.features).toHaveLength(1);
    expect(sources.openHazards.features[0]!.properties).toMatchObject({ id: open.properties.id, legend: "hazardOpen", severity_rank: 4, age_class: 2 });
    expect(sources.entries.features.map((feature) => feature.properties.legend)).toEqual(["patrol", "hazardFixed", "repair"]);
    // A fixed hazard is not ranked or aged: nothing of it is styled as open.
    expect(sources.entries.features[1]!.properties).toMatchObject({ severity_rank: 0, age_class: 0 });
    // Only what the layers read goes to the map (the popup looks the rest up by id).
    expect(Object.keys(sources.openHazards.features[0]!.properties).sort()).toEqual(["age_class", "id", "legend", "severity_rank", "status"]);
  });

  it("shows only the open hazards when asked", () => {
    const all = [track, point("hazard", "open"), point("hazard", "fixed"), point("incident")];
    expect(visibleFeatures(all, false)).toHaveLength(4);
    expect(visibleFeatures(all, true).every(isOpenHazard)).toBe(true);
    expect(visibleFeatures(all, true)).toHaveLength(1);
  });

  it("counts the features under each legend entry, the open hazards by severity and age", () => {
    const counts = legendCounts(
      [
        track,
        point("hazard", "open", { severity: "high" }),
        point("hazard", "open", { severity: "high", occurred_at: "2024-01-01T08:00:00+08:00" }),
        point("hazard", "open"),
        point("hazard", "fixed", { severity: "low" }),
        point("repair"),
        point("outreach"),
      ],
      NOW,
    );
    expect(counts).toMatchObject({ patrol: 1, hazardOpen: 3, hazardFixed: 1, repair: 1, other: 1 });
    expect(counts.severity).toEqual({ low: 0, medium: 0, high: 2, critical: 0, unknown: 1 });
    expect(counts.age).toEqual([2, 0, 1]);
  });

  it("bounds the features, tracks included", () => {
    expect(featureBounds([track, point("repair")])).toEqual([105.6, 23.6, 105.63, 23.65]);
    expect(featureBounds([])).toBeNull();
  });
});
