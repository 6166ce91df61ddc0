// The dashboard's pages (docs/county-api.md "Pages"), history mode under "/": county-server
// serves index.html for each of these paths. Every page but the login needs a session.
import { createRouter, createWebHistory, type Router, type RouteRecordRaw } from "vue-router";
import { ensureSession } from "./session";

export const routes: RouteRecordRaw[] = [
  { path: "/login", name: "login", component: () => import("./login/LoginPage.vue"), meta: { public: true, bare: true } },
  { path: "/", name: "overview", component: () => import("./overview/OverviewPage.vue") },
  { path: "/entries", name: "entries", component: () => import("./entries/EntriesPage.vue") },
  { path: "/entries/:id", name: "entry", component: () => import("./entry/EntryDetailPage.vue"), props: true },
  { path: "/map", name: "map", component: () => import("./map/MapPage.vue") },
  { path: "/statistics", name: "statistics", component: () => import("./statistics/StatisticsPage.vue") },
  { path: "/reports/annual", name: "annual-report", component: () => import("./reports/AnnualReportPage.vue") },
  { path: "/posts", name: "posts", component: () => import("./posts/PostsPage.vue") },
  { path: "/audit", name: "audit", component: () => import("./audit/AuditPage.vue") },
  { path: "/:unknown(.*)*", redirect: "/" },
];

export function createDashboardRouter(): Router {
  const router = createRouter({ history: createWebHistory("/"), routes });
  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const user = await ensureSession();
    if (user) return true;
    return { name: "login", query: { redirect: to.fullPath } };
  });
  return router;
}
