// Every route of docs/county-api.md the dashboard calls, typed; pages call these, never fetch.
import { apiGet, apiPost, apiRequest, apiUrl, type QueryValue } from "./client";
import type {
  AnnualReport,
  AuditPageAnswer,
  BulkReviewOutcome,
  DashboardConfig,
  EnrolmentCodeAnswer,
  EntryDetailAnswer,
  EntryPage,
  EntrySummary,
  MapFeatureCollection,
  MapStatus,
  Overview,
  DeviceOverview,
  PostListItem,
  ReviewDecision,
  SessionAnswer,
  Statistics,
} from "./types";

export const countyApi = {
  login: (username: string, password: string) =>
    apiRequest<SessionAnswer>("POST", "/session", { body: { username, password }, quietUnauthorized: true }),
  currentSession: () => apiRequest<SessionAnswer>("GET", "/session", { quietUnauthorized: true }),
  logout: () => apiRequest<void>("DELETE", "/session", { quietUnauthorized: true }),

  overview: () => apiGet<Overview>("/overview"),
  entries: (query: Record<string, QueryValue>) => apiGet<EntryPage>("/entries", query),
  entry: (id: string) => apiGet<EntryDetailAnswer>(`/entries/${encodeURIComponent(id)}`),
  review: (id: string, decision: ReviewDecision, comment: string) =>
    apiPost<EntrySummary>(`/entries/${encodeURIComponent(id)}/review`, { decision, comment }),
  /** One decision on up to 500 entries (entries/bulkReview.ts sends a longer selection in turns). */
  reviewMany: (entryIds: readonly string[], decision: ReviewDecision, comment: string) =>
    apiPost<BulkReviewOutcome>("/reviews", { entry_ids: entryIds, decision, comment }),
  entriesExportUrl: (query: Record<string, QueryValue>) => apiUrl("/entries/export", query),
  map: (query: Record<string, QueryValue>) => apiGet<MapFeatureCollection>("/map", query),
  mapStatus: () => apiGet<MapStatus>("/map/status"),
  /** The basemap archive (PMTiles, read with Range requests), as an absolute URL. */
  mapArchiveUrl: () => new URL(apiUrl("/map/archive"), window.location.href).href,
  statistics: (year: number, post?: string) => apiGet<Statistics>("/statistics", { year, post }),
  annualReport: (year: number) => apiGet<AnnualReport>("/reports/annual", { year, format: "json" }),
  annualReportUrl: (year: number, format: "xlsx" | "csv") => apiUrl("/reports/annual", { year, format }),
  config: () => apiGet<DashboardConfig>("/config"),
  posts: () => apiGet<PostListItem[]>("/posts"),
  addPost: (name: string) => apiPost<{ id: string; name: string }>("/posts", { name }),
  makeEnrolmentCode: (postId: string) => apiPost<EnrolmentCodeAnswer>(`/posts/${encodeURIComponent(postId)}/enrolment-codes`),
  resetMemberPin: (postId: string, member: string) =>
    apiPost<{ id: string; member: string; issued_at: string }>(`/posts/${encodeURIComponent(postId)}/pin-resets`, { member }),
  audit: (query: Record<string, QueryValue>) => apiGet<AuditPageAnswer>("/audit", query),
  revokeDevice: (deviceId: string) => apiPost<DeviceOverview>(`/devices/${encodeURIComponent(deviceId)}/revoke`),
  wipeDevice: (deviceId: string) => apiPost<DeviceOverview>(`/devices/${encodeURIComponent(deviceId)}/wipe`),
};
