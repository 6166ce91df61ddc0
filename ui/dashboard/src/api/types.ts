// The shapes of docs/county-api.md, as the dashboard reads them: generated from the county
// server's answer types (../generated/types.ts, crates/ui-types), and the vocabularies from
// patrol-model's. Written here: the map's GeoJSON (the server builds it as JSON,
// MapFeatures::to_geojson) and the lists the pages offer.

export type {
  ActivityFigures,
  AdminRole,
  AnnualReport,
  ApiErrorBody,
  AuditAction,
  AuditOutcome,
  AuditPageAnswer,
  AuditRecord,
  BulkReviewOutcome,
  DashboardConfig,
  DeviceOverview,
  DeviceStanding,
  DeviceWipe,
  EnrolmentCodeAnswer,
  EntryDetailAnswer,
  EntryHistoryVersion,
  EntryPage,
  EntryPhoto,
  EntrySummary,
  Overview,
  PinResetAnswer,
  PostListItem,
  PostOverview,
  SessionAnswer,
  Statistics,
  StatisticsRow,
} from "../generated/types";
export type { Entry, Review, ValidationProblem } from "../../../src/generated/types";
export type { ReviewDecision } from "../../../src/generated/vocabularies";

import type { AuditAction } from "../generated/types";
import { ENTRY_KIND, ENTRY_STATUS, HAZARD_SEVERITY, REVIEW_DECISION, type EntryKind } from "../../../src/generated/vocabularies";

export type EntryKindCode = EntryKind;
export const ENTRY_KINDS: readonly EntryKindCode[] = ENTRY_KIND.map((kind) => kind.code);
export const ENTRY_STATUSES = ENTRY_STATUS.map((status) => status.code);
export const HAZARD_SEVERITIES = HAZARD_SEVERITY.map((severity) => severity.code);
export const REVIEW_FILTERS = ["pending", ...REVIEW_DECISION.map((decision) => decision.code)] as const;

export interface MapFeatureProperties {
  id: string;
  kind: EntryKindCode;
  category: string | null;
  title_zh: string;
  status: string | null;
  occurred_at: string;
  post_name: string | null;
  /** Hazards: low, medium, high or critical (HAZARD_SEVERITY); absent from older servers. */
  severity?: string | null;
}

export type MapGeometry =
  | { type: "Point"; coordinates: [number, number] }
  | { type: "LineString"; coordinates: [number, number][] };

export interface MapFeature {
  type: "Feature";
  geometry: MapGeometry;
  properties: MapFeatureProperties;
}

export interface MapFeatureCollection {
  type: "FeatureCollection";
  features: MapFeature[];
  truncated?: boolean;
}

/** GET /api/v1/admin/map/status: the county's basemap archive (`county-server map build`). */
export interface MapStatus {
  built: boolean;
  version: string | null;
  built_at: string | null;
  bytes: number;
  min_zoom: number;
  max_zoom: number;
  bounds: [number, number, number, number] | null;
  layers: { name: string; features: number }[];
}

/** The audit log's filter, in the order the page offers it. */
export const AUDIT_ACTIONS = [
  "login",
  "login_failed",
  "review",
  "revoke",
  "export",
  "report",
  "enrolment_code",
  "post_add",
  "admin_save",
  "pin_reset",
] as const satisfies readonly AuditAction[];
/** Fails to type-check when the county server gains an action the filter does not list. */
export const EVERY_AUDIT_ACTION_LISTED: [Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>] extends [never] ? true : never = true;
