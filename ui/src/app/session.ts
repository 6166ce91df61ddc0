// Who uses the phone, the post's roster and the enrolment, read once from `get_settings`
// and kept here for every screen; the language and the display settings are applied on reading.
import { reactive } from "vue";
import { getSettings } from "../tauri/commands";
import type { Settings } from "../tauri/types";
import { currentLocale, setLocale, type AppLocale } from "../i18n";
import { applyDisplay } from "./display";

export const session = reactive<{ settings: Settings | null; loaded: boolean }>({ settings: null, loaded: false });

/** The store's language code → the UI's locale. */
export function localeOf(language: string | null | undefined): AppLocale {
  return language === "en" || language === "en-US" ? "en-US" : "zh-CN";
}

/** The UI's locale → the store's language code. */
export function languageOf(locale: AppLocale): "zh-CN" | "en" {
  return locale === "en-US" ? "en" : "zh-CN";
}

export async function loadSettings(): Promise<Settings | null> {
  try {
    const settings = await getSettings();
    session.settings = settings;
    const locale = localeOf(settings.language);
    if (locale !== currentLocale()) setLocale(locale);
    applyDisplay(settings.display);
  } catch {
    // Settings unavailable: keep the defaults.
  }
  session.loaded = true;
  return session.settings;
}

export function currentMember(): string | null {
  return session.settings?.current_member ?? null;
}

export function roster(): string[] {
  return session.settings?.roster ?? [];
}
