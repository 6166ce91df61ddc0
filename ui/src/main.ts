import { createApp } from "vue";
import { Button, Empty, List, NavBar, PullRefresh, Tag } from "vant";
import "vant/lib/index.css";
import "./style.css";
import App from "./App.vue";
import { currentLocale, i18n } from "./i18n";

document.documentElement.lang = currentLocale();

createApp(App).use(i18n).use(Button).use(Empty).use(List).use(NavBar).use(PullRefresh).use(Tag).mount("#app");
