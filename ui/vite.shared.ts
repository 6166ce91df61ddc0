// What the field app's build (vite.config.ts) and the county dashboard's
// (vite.dashboard.config.ts) share: Vue's and vue-i18n's compile-time flags, and the plugin
// that cuts an outside address out of a package's source so that neither bundle names one
// (`npm run build` checks each with scripts/check-no-remote-urls.mjs).
import type { Plugin } from "vite";

export const vueDefines = {
  __VUE_I18N_FULL_INSTALL__: true,
  __VUE_I18N_LEGACY_API__: false,
  __INTLIFY_PROD_DEVTOOLS__: false,
  __VUE_PROD_DEVTOOLS__: false,
  __VUE_OPTIONS_API__: true,
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
};

/**
 * A plugin that replaces `pattern` by `replacement` in the files of node_modules/`packageName`
 * whose name ends in `extension`, before any other plugin reads them.
 */
export function rewritePackageSource(
  name: string,
  packageName: string,
  extension: string,
  pattern: RegExp,
  replacement: string,
): Plugin {
  return {
    name: `patrol-log:${name}`,
    enforce: "pre",
    transform(code, id) {
      if (!id.includes(`/node_modules/${packageName}/`) || !id.split("?")[0]!.endsWith(extension)) return null;
      const rewritten = code.replace(pattern, replacement);
      return rewritten === code ? null : { code: rewritten, map: null };
    },
  };
}
