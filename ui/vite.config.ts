/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import { rewritePackageSource, vueDefines } from "./vite.shared";

/**
 * Vant's icon font names a CDN copy (`url(//at.alicdn.com/...woff)`) as a fallback after the
 * woff2 it already inlines as a data: URL. The app must never reach an outside host, so the
 * fallback is cut from Vant's CSS; every WebKit we run on reads the inlined woff2.
 */
const dropRemoteFontFallbacks = rewritePackageSource(
  "drop-remote-font-fallbacks",
  "vant",
  ".css",
  /,\s*url\(\s*["']?(?:https?:)?\/\/[^)]*\)\s*format\(\s*["']woff["']\s*\)/g,
  "",
);

export default defineConfig({
  plugins: [vue(), dropRemoteFontFallbacks],
  // Relative asset paths: the bundle is loaded from the Tauri custom protocol, not a web root.
  base: "./",
  clearScreen: false,
  define: vueDefines,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40+ (Debian 12) and Android System WebView; nothing older needs serving.
    target: ["es2021", "safari15"],
    chunkSizeWarningLimit: 1024,
  },
  server: {
    port: 5173,
    strictPort: true,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "dashboard/src/**/*.test.ts", "scripts/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
  },
});
