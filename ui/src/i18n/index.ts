import { createI18n } from "vue-i18n";
import { Locale as VantLocale } from "vant";
import vantZhCN from "vant/es/locale/lang/zh-CN";
import vantEnUS from "vant/es/locale/lang/en-US";
import { enUS, zhCN, type Messages } from "./messages";

export type AppLocale = "zh-CN" | "en-US";

const STORAGE_KEY = "patrol-log.locale";
export const DEFAULT_LOCALE: AppLocale = "zh-CN";

/** The saved choice if it is one we know, else Simplified Chinese. */
export function resolveLocale(saved: string | null | undefined): AppLocale {
  return saved === "en-US" || saved === "zh-CN" ? saved : DEFAULT_LOCALE;
}

function readSavedLocale(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: resolveLocale(readSavedLocale()),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { "zh-CN": zhCN, "en-US": enUS },
});

function applyVantLocale(locale: AppLocale): void {
  if (locale === "en-US") VantLocale.use("en-US", vantEnUS);
  else VantLocale.use("zh-CN", vantZhCN);
}

export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  applyVantLocale(locale);
  document.documentElement.lang = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage can be unavailable; the choice then lasts for this session only.
  }
}

export function currentLocale(): AppLocale {
  return i18n.global.locale.value;
}

/**
 * A message key and its named parameters → the text in one language. What the form checks are
 * given (a screen passes its `useI18n().t`), so a check speaks the member's language without
 * knowing which it is.
 */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

/** The texts of `locale`, whatever the app shows now (tests, and checks run outside a screen). */
export function translatorFor(locale: AppLocale): Translate {
  return (key, named = {}) => i18n.global.t(key, named, { locale });
}

applyVantLocale(currentLocale());
