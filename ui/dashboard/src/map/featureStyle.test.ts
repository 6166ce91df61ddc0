import { describe, expect, it } from "vitest";
import type { MapFeature, MapFeatureProperties } from "../api/types";
import { featureDrawing, legendCounts, MAP_COLOURS } from "./featureStyle";
import { graticuleLines, graticuleStep, latitudeLabel, longitudeLabel } from "./graticule";

function point(kind: MapFeatureProperties["kind"], status: string | null = null): MapFeature {
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [105.63, 23.62] },
    properties: { id: `${kind}-${status}`, kind, category: null, title_zh: "", status, occurred_at: "2024-03-02T08:10:00+08:00", post_name: "田蓬联防所" },
  };
}

const track: MapFeature = {
  type: "Feature",
  geometry: { type: "LineString", coordinates: [[105.6, 23.6], [105.61, 23.61]] },
  properties: { id: "t", kind: "patrol", category: null, title_zh: "巡逻", status: "ended", occurred_at: "2024-03-02T08:10:00+08:00", post_name: "田蓬联防所" },
};

describe("featureDrawing (GeoJSON → layer style)", () => {
  it("draws a patrol track as a solid line, a running one dashed", () => {
    expect(featureDrawing(track)).toMatchObject({ shape: "line", color: MAP_COLOURS.patrol, legend: "patrol" });
    expect(featureDrawing(track)).not.toHaveProperty("dashArray");
    const running = { ...track, properties: { ...track.properties, status: "running" } };
    expect(featureDrawing(running)).toMatchObject({ shape: "line", dashArray: "6 6" });
  });

  it("draws an open hazard as a red circle and a fixed one green", () => {
    expect(featureDrawing(point("hazard", "open"))).toMatchObject({ shape: "circle", color: MAP_COLOURS.hazardOpen, legend: "hazardOpen" });
    expect(featureDrawing(point("hazard", "fixed"))).toMatchObject({ shape: "circle", color: MAP_COLOURS.hazardFixed, legend: "hazardFixed" });
    expect(MAP_COLOURS.hazardOpen).not.toBe(MAP_COLOURS.hazardFixed);
  });

  it("draws a repair as a square in its own colour, the other kinds as violet circles", () => {
    expect(featureDrawing(point("repair"))).toMatchObject({ shape: "square", color: MAP_COLOURS.repair });
    for (const kind of ["incident", "outreach", "activity"] as const) {
      expect(featureDrawing(point(kind))).toMatchObject({ shape: "circle", legend: "other", color: MAP_COLOURS.other });
    }
  });

  it("counts the features under each legend entry", () => {
    const counts = legendCounts([track, point("hazard", "open"), point("hazard", "open"), point("hazard", "fixed"), point("repair"), point("outreach")]);
    expect(counts).toEqual({ patrol: 1, hazardOpen: 2, hazardFixed: 1, repair: 1, other: 1 });
  });
});

describe("graticule", () => {
  it("picks a round step giving at most ten lines across the view", () => {
    expect(graticuleStep(0.8)).toBe(0.1);
    expect(graticuleStep(3)).toBe(0.5);
    expect(graticuleStep(40)).toBe(5);
  });

  it("lists the lines inside the view, without float noise", () => {
    const lines = graticuleLines({ south: 23.41, west: 105.33, north: 23.92, east: 105.81 });
    expect(lines.step).toBe(0.1);
    expect(lines.latitudes).toEqual([23.5, 23.6, 23.7, 23.8, 23.9]);
    expect(lines.longitudes).toEqual([105.4, 105.5, 105.6, 105.7, 105.8]);
  });

  it("labels lines with their hemisphere", () => {
    expect(latitudeLabel(23.5, 0.5)).toBe("23.5°N");
    expect(longitudeLabel(105, 1)).toBe("105°E");
    expect(latitudeLabel(-10.25, 0.25)).toBe("10.25°S");
  });
});
