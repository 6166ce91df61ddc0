// The dashboard's vue-i18n instance: the field app's shared messages (kinds, statuses,
// categories, units; ui/src/i18n/messages.ts) plus the dashboard's own under `dash`.
// Simplified Chinese by default, English selectable; the choice is kept in localStorage.
// Element Plus gets the matching locale through <ElConfigProvider> in App.vue.
import { createI18n } from "vue-i18n";
import { computed } from "vue";
import elementZhCn from "element-plus/es/locale/lang/zh-cn";
import elementEn from "element-plus/es/locale/lang/en";
import { enUS, zhCN } from "../../../src/i18n/messages";
import { dashZhCN } from "./messages";
import { dashEnUS } from "./messagesEn";

export type DashboardLocale = "zh-CN" | "en-US";

const STORAGE_KEY = "patrol-log.dashboard.locale";

const zhMessages = { ...zhCN, dash: dashZhCN };
const enMessages = { ...enUS, dash: dashEnUS };
export type DashboardMessages = typeof zhMessages;

function savedLocale(): DashboardLocale {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === "en-US" ? "en-US" : "zh-CN";
  } catch {
    return "zh-CN";
  }
}

export const i18n = createI18n<[DashboardMessages], DashboardLocale, false>({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: "zh-CN",
  messages: { "zh-CN": zhMessages, "en-US": enMessages },
});

export function currentLocale(): DashboardLocale {
  return i18n.global.locale.value;
}

export function setLocale(locale: DashboardLocale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // No storage: the choice lasts for this page load.
  }
}

export const elementLocale = computed(() => (i18n.global.locale.value === "en-US" ? elementEn : elementZhCn));
