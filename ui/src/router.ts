// The screens, one route each (hash history: the bundle is served from the Tauri protocol).
import { createRouter, createWebHashHistory, type RouterHistory, type RouteRecordRaw } from "vue-router";
import HomeScreen from "./home/HomeScreen.vue";
import PatrolScreen from "./patrol/PatrolScreen.vue";
import PatrolEditScreen from "./patrol/PatrolEditScreen.vue";
import HazardScreen from "./hazard/HazardScreen.vue";
import RepairScreen from "./repair/RepairScreen.vue";
import LogScreen from "./log/LogScreen.vue";
import EntryScreen from "./entry/EntryScreen.vue";
import SyncScreen from "./sync/SyncScreen.vue";
import SettingsScreen from "./settings/SettingsScreen.vue";

declare module "vue-router" {
  interface RouteMeta {
    titleKey?: string;
    /** A tab of the bottom bar (no back arrow). */
    tab?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: "/", name: "home", component: HomeScreen, meta: { titleKey: "app.title", tab: true } },
  { path: "/patrol", name: "patrol", component: PatrolScreen, meta: { titleKey: "nav.patrol" } },
  { path: "/patrol/:id/edit", name: "patrol-edit", component: PatrolEditScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/hazard", name: "hazard", component: HazardScreen, meta: { titleKey: "nav.hazard" } },
  { path: "/hazard/:id/edit", name: "hazard-edit", component: HazardScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/repair", name: "repair", component: RepairScreen, meta: { titleKey: "nav.repair" } },
  { path: "/repair/:id/edit", name: "repair-edit", component: RepairScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/log", name: "log", component: LogScreen, meta: { titleKey: "nav.log", tab: true } },
  { path: "/entry/:id", name: "entry", component: EntryScreen, props: true, meta: { titleKey: "nav.entry" } },
  { path: "/sync", name: "sync", component: SyncScreen, meta: { titleKey: "nav.sync", tab: true } },
  { path: "/settings", name: "settings", component: SettingsScreen, meta: { titleKey: "nav.settings", tab: true } },
  { path: "/:rest(.*)*", redirect: "/" },
];

/** The route to edit an entry of a kind. */
export function editRouteOf(kind: string, id: string): string {
  return `/${kind === "patrol" || kind === "repair" ? kind : "hazard"}/${id}/edit`;
}

export function createAppRouter(history: RouterHistory = createWebHashHistory()) {
  // Back to a screen: where it was left (the log's scroll); a new screen: its top.
  return createRouter({ history, routes, scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 } });
}
