/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from "vite";
import vue from "@vitejs/plugin-vue";

/**
 * Vant's icon font names a CDN copy (`url(//at.alicdn.com/...woff)`) as a fallback after the
 * woff2 it already inlines as a data: URL. The app must never reach an outside host, so the
 * fallback is cut from Vant's CSS; every WebKit we run on reads the inlined woff2.
 */
function dropRemoteFontFallbacks(): Plugin {
  const remoteFontSource = /,\s*url\(\s*["']?(?:https?:)?\/\/[^)]*\)\s*format\(\s*["']woff["']\s*\)/g;
  return {
    name: "patrol-log:drop-remote-font-fallbacks",
    enforce: "pre",
    transform(code, id) {
      if (!id.includes("/node_modules/vant/") || !id.split("?")[0]!.endsWith(".css")) return null;
      if (!remoteFontSource.test(code)) return null;
      remoteFontSource.lastIndex = 0;
      return { code: code.replace(remoteFontSource, ""), map: null };
    },
  };
}

export default defineConfig({
  plugins: [vue(), dropRemoteFontFallbacks()],
  // Relative asset paths: the bundle is loaded from the Tauri custom protocol, not a web root.
  base: "./",
  clearScreen: false,
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_OPTIONS_API__: true,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
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
    include: ["src/**/*.test.ts", "dashboard/src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
  },
});
