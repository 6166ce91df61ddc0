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
 * Leaflet's attribution control starts with a link to leafletjs.com. The dashboard draws its
 * map without that control, and no outside address may be in the bundle, so the link is cut
 * from Leaflet's source (the prefix becomes the plain word "Leaflet").
 */
const dropLeafletHomeLink = rewritePackageSource(
  "drop-leaflet-home-link",
  "leaflet",
  ".js",
  /'<a href="https:\/\/leafletjs\.com"[^\n]*?'Leaflet<\/a>'/,
  "'Leaflet'",
);

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
  plugins: [vue(), dropLeafletHomeLink, dropElementPlusDocLinks],
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
