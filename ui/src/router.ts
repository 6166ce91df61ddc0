// The screens, one route each (hash history: the bundle is served from the Tauri protocol).
import { createRouter, createWebHashHistory, type RouterHistory, type RouteRecordRaw } from "vue-router";
import HomeScreen from "./home/HomeScreen.vue";
import PatrolScreen from "./patrol/PatrolScreen.vue";
import PatrolEditScreen from "./patrol/PatrolEditScreen.vue";
import PatrolWriteUpScreen from "./patrol/PatrolWriteUpScreen.vue";
import HazardScreen from "./hazard/HazardScreen.vue";
import RepairScreen from "./repair/RepairScreen.vue";
import IncidentScreen from "./incident/IncidentScreen.vue";
import OutreachScreen from "./outreach/OutreachScreen.vue";
import ActivityScreen from "./activity/ActivityScreen.vue";
import LogScreen from "./log/LogScreen.vue";
import EntryScreen from "./entry/EntryScreen.vue";
import SyncScreen from "./sync/SyncScreen.vue";
import SettingsScreen from "./settings/SettingsScreen.vue";
import MonthScreen from "./month/MonthScreen.vue";

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
  { path: "/patrol/write-up", name: "patrol-write-up", component: PatrolWriteUpScreen, meta: { titleKey: "nav.patrolWriteUp" } },
  { path: "/patrol/:id/edit", name: "patrol-edit", component: PatrolEditScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/hazard", name: "hazard", component: HazardScreen, meta: { titleKey: "nav.hazard" } },
  { path: "/hazard/:id/edit", name: "hazard-edit", component: HazardScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/repair", name: "repair", component: RepairScreen, meta: { titleKey: "nav.repair" } },
  { path: "/repair/:id/edit", name: "repair-edit", component: RepairScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/incident", name: "incident", component: IncidentScreen, meta: { titleKey: "nav.incident" } },
  { path: "/incident/:id/edit", name: "incident-edit", component: IncidentScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/outreach", name: "outreach", component: OutreachScreen, meta: { titleKey: "nav.outreach" } },
  { path: "/outreach/:id/edit", name: "outreach-edit", component: OutreachScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/activity", name: "activity", component: ActivityScreen, meta: { titleKey: "nav.activity" } },
  { path: "/activity/:id/edit", name: "activity-edit", component: ActivityScreen, props: true, meta: { titleKey: "nav.edit" } },
  { path: "/log", name: "log", component: LogScreen, meta: { titleKey: "nav.log", tab: true } },
  { path: "/entry/:id", name: "entry", component: EntryScreen, props: true, meta: { titleKey: "nav.entry" } },
  { path: "/month", name: "month", component: MonthScreen, meta: { titleKey: "nav.month" } },
  { path: "/sync", name: "sync", component: SyncScreen, meta: { titleKey: "nav.sync", tab: true } },
  { path: "/settings", name: "settings", component: SettingsScreen, meta: { titleKey: "nav.settings", tab: true } },
  { path: "/:rest(.*)*", redirect: "/" },
];

export function createAppRouter(history: RouterHistory = createWebHashHistory()) {
  // Back to a screen: where it was left (the log's scroll); a new screen: its top.
  return createRouter({ history, routes, scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 } });
}
