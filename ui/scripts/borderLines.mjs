// The national land border of the south-western posts, cut from Natural Earth's 1:10 million
// countries as the world-atlas package ships them (public domain): the lines China shares with
// Vietnam, Laos and Myanmar. The county server bakes them into its basemap
// (crates/county-server/src/map/border_lines.geojson, written by
// `node scripts/borderLines.mjs --write`; scripts/borderLines.test.ts fails when it is stale).
// Other sectors are left out on purpose: where an open data set and the official line differ,
// the county imports its official line from its GIS office instead.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mesh } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
export const borderLinesPath = join(here, "../../crates/county-server/src/map/border_lines.geojson");

const CHINA = "156";
/** World-atlas country ids (ISO 3166 numeric) of the south-western neighbours, with the line's name. */
const NEIGHBOURS = [
  { id: "704", name: "中国—越南边界" },
  { id: "418", name: "中国—老挝边界" },
  { id: "104", name: "中国—缅甸边界" },
];

/** Coordinates to 5 decimals (about 1 m): more than the 1:10 million source holds. */
function rounded(line) {
  return line.map(([lon, lat]) => [Math.round(lon * 1e5) / 1e5, Math.round(lat * 1e5) / 1e5]);
}

/** The GeoJSON text of the border lines, one MultiLineString feature per neighbour. */
export function borderLinesGeoJson() {
  const topologyPath = join(here, "../node_modules/world-atlas/countries-10m.json");
  const topology = JSON.parse(readFileSync(topologyPath, "utf8"));
  const countries = topology.objects.countries;
  const features = NEIGHBOURS.map(({ id, name }) => {
    const shared = mesh(topology, countries, (a, b) => (a.id === CHINA && b.id === id) || (a.id === id && b.id === CHINA));
    return {
      type: "Feature",
      properties: { name, source: "Natural Earth 1:10m via world-atlas 2.0.2" },
      geometry: { type: "MultiLineString", coordinates: shared.coordinates.map(rounded) },
    };
  });
  return `${JSON.stringify({ type: "FeatureCollection", features })}\n`;
}

if (process.argv.includes("--write")) {
  writeFileSync(borderLinesPath, borderLinesGeoJson());
  console.log(`wrote ${borderLinesPath}`);
}
