// The shapes of docs/county-api.md, as the dashboard reads them. Nullable where the contract
// says an entry may have none. Still written by hand (not yet generated from the county server's
// answer types), except the vocabularies below.

export type Role = "admin" | "viewer";

export interface SessionInfo {
  username: string;
  role: Role;
}

export interface ApiErrorProblem {
  field: string;
  message_zh: string;
  message_en: string;
}

export interface ApiErrorBody {
  error: string;
  message: string;
  message_zh: string;
  problems?: ApiErrorProblem[];
}

// Kinds, statuses and review decisions are patrol-model's closed vocabularies, generated from Rust.
import { ENTRY_KIND, ENTRY_STATUS, REVIEW_DECISION, type EntryKind, type ReviewDecision } from "../../../src/generated/vocabularies";
export type { ReviewDecision } from "../../../src/generated/vocabularies";
export type EntryKindCode = EntryKind;
export const ENTRY_KINDS: readonly EntryKindCode[] = ENTRY_KIND.map((kind) => kind.code);
export const ENTRY_STATUSES = ENTRY_STATUS.map((status) => status.code);
export const REVIEW_FILTERS = ["pending", ...REVIEW_DECISION.map((decision) => decision.code)] as const;

export interface OverviewPost {
  id: string;
  name: string;
  devices: number;
  entries: number;
  last_contact_ms: number | null;
  silent: boolean;
}

export type DeviceStanding = "active" | "revoked" | "wipe_ordered" | "wiped";

export interface DeviceWipe {
  ordered_at_ms: number;
  wiped_at_ms: number | null;
  unsent: { unsent_entries: number; unsent_photos: number; unsent_photo_bytes: number } | null;
}

export interface OverviewDevice {
  id: string;
  post_id: string;
  post_name: string;
  label: string;
  revoked: boolean;
  /** revoked is true for all but `active` */
  standing: DeviceStanding;
  /** the wipe the county ordered (停用并清除), and what the phone had unsent when it wiped itself */
  wipe: DeviceWipe | null;
  last_contact_ms: number | null;
  pending_age_ms: number | null;
  clock_offset_ms: number | null;
  clock_flagged: boolean;
  highest_seq: number | null;
  acknowledged_through: number | null;
  missing: [number, number][];
}

export interface Overview {
  totals: { posts: number; devices: number; entries: number; awaiting_review: number };
  posts: OverviewPost[];
  devices: OverviewDevice[];
  silent_days: number;
}

export interface EntrySummary {
  id: string;
  post_id: string | null;
  post_name: string | null;
  kind: EntryKindCode;
  category: string | null;
  category_label_zh: string | null;
  title_zh: string;
  occurred_at: string;
  local_day: string;
  author: string | null;
  status: string | null;
  review_decision: ReviewDecision | null;
  deleted: boolean;
  photo_count: number;
  quantity: number | null;
  unit: string | null;
  lat: number | null;
  lon: number | null;
}

export interface EntryPage {
  entries: EntrySummary[];
  next_cursor: string | null;
}

export interface EntryReview {
  decision: ReviewDecision;
  comment: string;
  reviewer: string;
  decided_at: string;
}

/** An entry document as patrol-model writes it (envelope + `kind` + `body`). */
export interface EntryDocument {
  id: string;
  kind: EntryKindCode;
  device_id?: string;
  post_id?: string;
  occurred_at: string;
  ended_at?: string;
  location?: { lat: number; lon: number; accuracy_m?: number; altitude_m?: number };
  author?: string;
  body: Record<string, unknown>;
  photos?: { sha256: string; role: string }[];
  status?: string;
  revision: number;
  created_at?: string;
  updated_at?: string;
  deleted?: boolean;
  review?: EntryReview;
  [field: string]: unknown;
}

export interface EntryVersion {
  revision: number;
  written_at_ms: number;
  by: "device" | "county";
  document: EntryDocument;
}

export interface EntryPhoto {
  sha256: string;
  role: string;
  thumbnail_url: string;
  full_url: string;
  uploaded: boolean;
}

export interface EntryDetail {
  entry: EntryDocument;
  post_name: string | null;
  device_label: string | null;
  summary: EntrySummary;
  history: EntryVersion[];
  photos: EntryPhoto[];
}

export interface MapFeatureProperties {
  id: string;
  kind: EntryKindCode;
  category: string | null;
  title_zh: string;
  status: string | null;
  occurred_at: string;
  post_name: string | null;
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

export interface StatisticsRow {
  post_id: string;
  post_name: string;
  month: string;
  kind: EntryKindCode;
  category: string | null;
  category_label_zh: string | null;
  entries: number;
  quantity: number | null;
  unit: string | null;
  fixed: number;
}

export interface Statistics {
  year: number;
  rows: StatisticsRow[];
}

export interface AnnualReport {
  year: number;
  posts: number;
  patrols: { total: number; joint: number; distance_km: number };
  incidents: {
    cases: number;
    persons: number;
    by_type: { code: string; label_zh: string; cases: number; persons: number }[];
  };
  outreach: { sessions: number; audience: number };
  repairs: { code: string; label_zh: string; entries: number; quantity: number; unit: string }[];
  activities: { code: string; label_zh: string; sessions: number; attendees: number }[];
  hazards: {
    found: number;
    fixed: number;
    open: number;
    by_category: { code: string; label_zh: string; found: number; fixed: number }[];
  };
}

export interface DashboardConfig {
  map_tile_url: string | null;
  server_url: string;
}

export interface PostListing {
  id: string;
  name: string;
  devices: number;
  entries: number;
}

export interface EnrolmentCode {
  code: string;
  expires_at: string;
  enrol_uri: string;
  qr_svg: string;
}

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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One row of GET /api/v1/admin/audit. */
export interface AuditRecord {
  id: number;
  at: string;
  action: AuditAction;
  outcome: "ok" | "failed";
  actor: string;
  address: string | null;
  target: string | null;
  detail: Record<string, unknown>;
}

export interface AuditPage {
  records: AuditRecord[];
  next_cursor: string | null;
}
