// The county dashboard: Vue 3 + Element Plus (components imported where used), vue-i18n
// (zh-CN default), vue-router in history mode. A 401 from any call sends the user to login.
import { createApp } from "vue";
import { vLoading } from "element-plus";
import "element-plus/dist/index.css";
import "./style.css";
import App from "./App.vue";
import { onUnauthorized } from "./api/client";
import { currentLocale, i18n } from "./i18n";
import { createDashboardRouter } from "./router";
import { forgetSession } from "./session";

document.documentElement.lang = currentLocale();

const router = createDashboardRouter();
onUnauthorized(() => {
  forgetSession();
  const here = router.currentRoute.value;
  if (here.name !== "login") void router.replace({ name: "login", query: { redirect: here.fullPath } });
});

createApp(App).use(i18n).use(router).directive("loading", vLoading).mount("#app");
