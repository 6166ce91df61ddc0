// The border lines baked into the county basemap are exactly what the generator makes from the
// world-atlas package: regenerate with `node scripts/borderLines.mjs --write`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script without types
import { borderLinesGeoJson, borderLinesPath } from "./borderLines.mjs";

describe("border lines of the county basemap", () => {
  it("are up to date with the world-atlas package", () => {
    expect(readFileSync(borderLinesPath, "utf8")).toBe(borderLinesGeoJson());
  });

  it("hold the Vietnam, Laos and Myanmar lines, each with points", () => {
    const lines = JSON.parse(borderLinesGeoJson());
    expect(lines.features.map((feature: { properties: { name: string } }) => feature.properties.name)).toEqual([
      "中国—越南边界",
      "中国—老挝边界",
      "中国—缅甸边界",
    ]);
    for (const feature of lines.features) expect(feature.geometry.coordinates.flat().length).toBeGreaterThan(50);
  });
});
