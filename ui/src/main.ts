import { createApp } from "vue";
import Vant from "vant";
import "vant/lib/index.css";
import "./style.css";
import App from "./App.vue";
import { currentLocale, i18n } from "./i18n";
import { createAppRouter } from "./router";

document.documentElement.lang = currentLocale();

createApp(App).use(i18n).use(Vant).use(createAppRouter()).mount("#app");
