// The county dashboard's build: ui/dashboard (its own index.html and src/) into
// ui/dist-dashboard, which county-server serves at "/" (assets under /assets/). The field app
// keeps vite.config.ts; `npm run build` runs both, then checks each output for outside URLs.
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import { fileURLToPath } from "node:url";
import { rewritePackageSource, vueDefines } from "./vite.shared";

const dashboardRoot = fileURLToPath(new URL("./dashboard", import.meta.url));
const outputDir = fileURLToPath(new URL("./dist-dashboard", import.meta.url));

/**
 * MapLibre names pages it never fetches: the attribution and logo controls' link (the map
 * draws neither), a WebGL help page and an issue in its error messages, its licence in a
 * comment. No outside address may be in the bundle, so the scheme is cut from those; and the
 * base it parses attribution links against becomes the page's own address.
 */
const dropMaplibreLinks = () => [
  rewritePackageSource(
    "drop-maplibre-links",
    "maplibre-gl",
    ".mjs",
    /https:\/\/(maplibre\.org\/|wiki\.openstreetmap\.org\/|github\.com\/)/g,
    "$1",
  ),
  rewritePackageSource("drop-maplibre-url-base", "maplibre-gl", ".mjs", /`https:\/\/maplibre\.invalid\/`/g, "globalThis.location.href"),
  // PMTiles names its source page in the error for an unknown tile type.
  rewritePackageSource("drop-pmtiles-links", "pmtiles", ".js", /https:\/\/(github\.com\/)/g, "$1"),
];

/**
 * Element Plus names its documentation pages (https://element-plus.org/…) in the warnings it
 * prints about deprecated props. Nothing fetches them, but no outside address may be in the
 * bundle: the scheme is cut, so the warning still says where to read ("element-plus.org/…").
 */
const dropElementPlusDocLinks = rewritePackageSource(
  "drop-element-plus-doc-links",
  "element-plus",
  ".mjs",
  /(ref:\s*["'])https:\/\/(element-plus\.org\/)/g,
  "$1$2",
);

export default defineConfig({
  root: dashboardRoot,
  plugins: [vue(), ...dropMaplibreLinks(), dropElementPlusDocLinks],
  // MapLibre's worker (imported with ?worker&url by ui/src/map/maplibre.ts) is a module
  // worker of this build, served from the dashboard's own origin.
  worker: { format: "es", plugins: dropMaplibreLinks },
  // Served by county-server at the web root; the router uses history mode under "/".
  base: "/",
  clearScreen: false,
  define: vueDefines,
  build: {
    outDir: outputDir,
    emptyOutDir: true,
    // The county office's desktop browsers: current Chromium, Firefox, Edge.
    target: ["es2021", "chrome100", "firefox100", "safari15"],
    chunkSizeWarningLimit: 1600,
  },
  server: {
    port: 5174,
    strictPort: true,
    // `COUNTY_SERVER_URL=http://127.0.0.1:8080 npx vite -c vite.dashboard.config.ts` during development.
    proxy: { "/api": process.env.COUNTY_SERVER_URL ?? "http://127.0.0.1:8080" },
  },
});
