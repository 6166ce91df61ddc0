// Every route of docs/county-api.md the dashboard calls, typed; pages call these, never fetch.
import { apiGet, apiPost, apiRequest, apiUrl, type QueryValue } from "./client";
import type {
  AnnualReport,
  AuditPage,
  DashboardConfig,
  EnrolmentCode,
  EntryDetail,
  EntryPage,
  EntrySummary,
  MapFeatureCollection,
  Overview,
  OverviewDevice,
  PostListing,
  ReviewDecision,
  SessionInfo,
  Statistics,
} from "./types";

export const countyApi = {
  login: (username: string, password: string) =>
    apiRequest<SessionInfo>("POST", "/session", { body: { username, password }, quietUnauthorized: true }),
  currentSession: () => apiRequest<SessionInfo>("GET", "/session", { quietUnauthorized: true }),
  logout: () => apiRequest<void>("DELETE", "/session", { quietUnauthorized: true }),

  overview: () => apiGet<Overview>("/overview"),
  entries: (query: Record<string, QueryValue>) => apiGet<EntryPage>("/entries", query),
  entry: (id: string) => apiGet<EntryDetail>(`/entries/${encodeURIComponent(id)}`),
  review: (id: string, decision: ReviewDecision, comment: string) =>
    apiPost<EntrySummary>(`/entries/${encodeURIComponent(id)}/review`, { decision, comment }),
  map: (query: Record<string, QueryValue>) => apiGet<MapFeatureCollection>("/map", query),
  statistics: (year: number, post?: string) => apiGet<Statistics>("/statistics", { year, post }),
  annualReport: (year: number) => apiGet<AnnualReport>("/reports/annual", { year, format: "json" }),
  annualReportUrl: (year: number, format: "xlsx" | "csv") => apiUrl("/reports/annual", { year, format }),
  config: () => apiGet<DashboardConfig>("/config"),
  posts: () => apiGet<PostListing[]>("/posts"),
  addPost: (name: string) => apiPost<{ id: string; name: string }>("/posts", { name }),
  makeEnrolmentCode: (postId: string) => apiPost<EnrolmentCode>(`/posts/${encodeURIComponent(postId)}/enrolment-codes`),
  resetMemberPin: (postId: string, member: string) =>
    apiPost<{ id: string; member: string; issued_at: string }>(`/posts/${encodeURIComponent(postId)}/pin-resets`, { member }),
  audit: (query: Record<string, QueryValue>) => apiGet<AuditPage>("/audit", query),
  revokeDevice: (deviceId: string) => apiPost<OverviewDevice>(`/devices/${encodeURIComponent(deviceId)}/revoke`),
  wipeDevice: (deviceId: string) => apiPost<OverviewDevice>(`/devices/${encodeURIComponent(deviceId)}/wipe`),
};
