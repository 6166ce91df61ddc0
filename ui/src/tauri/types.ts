// The shapes the Tauri commands exchange (docs/app-commands.md). Values inside objects keep
// the Rust field names (snake_case), exactly as serde writes them.

export interface Location {
  lat: number;
  lon: number;
  accuracy_m?: number;
  altitude_m?: number;
}

export type PhotoRole = "general" | "before" | "after";

export interface PhotoAttachment {
  sha256: string;
  role: PhotoRole;
}

export interface PatrolPartner {
  unit: "army" | "police" | "village_committee" | "other" | string;
  count: number;
}

export interface PatrolBody {
  joint: boolean;
  members: string[];
  partners: PatrolPartner[];
  markers: string[];
  findings: string;
  distance_km?: number;
}

export interface HazardBody {
  category: string;
  severity: string;
  description: string;
}

export interface RepairBody {
  category: string;
  quantity: number;
  unit: string;
  closes_hazard?: string;
  description: string;
}

/** 案件: a cross-border crime the members helped to stop (patrol_model::IncidentBody). */
export interface IncidentBody {
  crime_type: "smuggling" | "illegal_crossing" | "drugs" | "other" | string;
  /** 0–1000: 0 when only goods were found. */
  persons: number;
  handed_to: string;
  description: string;
}

/** 普法宣传: an outreach session in a village (patrol_model::OutreachBody). */
export interface OutreachBody {
  village: string;
  topic: string;
  /** 1–100000 */
  audience: number;
  description: string;
}

/** 活动: a training, drill, meeting or clean-up (patrol_model::ActivityBody). */
export interface ActivityBody {
  activity_type: string;
  /** 1–10000 */
  attendees: number;
  topic: string;
  description: string;
}

/** The county office's decision on an entry, written only by the county server. */
export interface Review {
  decision: "approved" | "returned" | string;
  comment: string;
  /** The county admin who decided. */
  reviewer: string;
  /** RFC 3339, UTC. */
  decided_at: string;
}

/** What `record_entry` / `edit_entry` accept (the JSON `patrol record --json` reads). */
export interface EntryDraft {
  kind: "patrol" | "hazard" | "repair" | "incident" | "outreach" | "activity" | string;
  occurred_at: string;
  ended_at?: string;
  location?: Location;
  author?: string;
  /** The patrol it was recorded during (never on a patrol). */
  patrol_id?: string;
  body: Record<string, unknown>;
}

/** An entry as stored (`get_entry`). */
export interface Entry extends EntryDraft {
  id: string;
  device_id: string;
  post_id?: string;
  photos: PhotoAttachment[];
  status?: string | null;
  revision: number;
  created_at: string;
  updated_at: string;
  deleted: boolean;
  /** The county's review, pulled on sync; absent while none was made. */
  review?: Review | null;
}

export interface EntryVersion {
  revision: number;
  /** create, edit, delete or status */
  change: string;
  changed_at: string;
  entry: Entry;
}

export interface HazardChoice {
  id: string;
  title: string;
  occurred_at: string;
  category: string;
  distance_m?: number | null;
}

export interface HomeSummary {
  patrols_today: number;
  open_hazards: number;
  repairs_this_month: number;
  /** Entries the county returned and no member has fixed yet. */
  returned_entries: number;
  running_patrol_id?: string | null;
}

export interface TrackSummary {
  patrol_id?: string;
  point_count: number;
  /** Points kept but left out of the distance (poor fixes, GPS jumps). */
  uncounted_point_count?: number;
  distance_m: number;
  running?: boolean;
}

export interface TrackPointInput {
  lat: number;
  lon: number;
  accuracy_m?: number;
  altitude_m?: number;
  recorded_at: string;
}

export interface RunningPatrol {
  entry: Entry;
  track: TrackSummary;
}

export interface ImportedPhoto {
  sha256: string;
  thumbnail_data_url: string;
}

export interface Settings {
  device_id: string;
  server_url?: string | null;
  post_name?: string | null;
  enrolled: boolean;
  current_member?: string | null;
  roster: string[];
  language: string;
  /** Minutes without a touch before the app locks: 1, 5, 15 or 30. */
  idle_lock_minutes?: number;
  /** Plain http:// to a county server off this machine is allowed (the token crosses the network readable). */
  allow_insecure_http?: boolean;
  /** The store's key is kept in a file beside it (no platform keystore on this device). */
  store_key_in_file?: boolean;
}

/** A member of the post on this phone, as the lock screen shows them. */
export interface Member {
  name: string;
  /** The post leader (负责人), who may reset another member's PIN. */
  leader: boolean;
  /** `false`: new on this phone or reset by the leader; they set a PIN at their next unlock. */
  has_pin: boolean;
  /** Seconds before this member's PIN is tried again after too many wrong ones. */
  blocked_seconds: number;
}

export interface UnlockedMember {
  name: string;
  leader: boolean;
}

export interface LockScreen {
  members: Member[];
  unlocked?: UnlockedMember;
  idle_lock_minutes: number;
}

export interface ValidationProblemOut {
  field: string;
  /** AppError problems carry `message`; a rejected record's problems carry `message_zh`. */
  message?: string;
  message_zh?: string;
  message_en?: string;
}

export interface RejectedRecord {
  seq: number;
  entry_id: string;
  title: string;
  problems: ValidationProblemOut[];
}

export interface SyncProgress {
  /** records sent, then the post's changes pulled, then photo bytes */
  phase: "records" | "pull" | "photos";
  records_done: number;
  records_total: number;
  bytes_done: number;
  bytes_total: number;
  /** bytes this sync has put on the link so far, cut requests included */
  bytes_sent: number;
  /** estimate of the bytes still to send: records as they compress, and photo bytes left */
  bytes_remaining: number;
  /** the measured upload rate; null until measured */
  upload_bytes_per_second: number | null;
  /** how long the rest should take on the measured link; null until measured */
  seconds_remaining: number | null;
  /** the link was measured under 64 kB/s: the sync goes on, it has not failed */
  slow_link: boolean;
  /** requests tried again after the link cut or stalled */
  retries: number;
}

export interface WipeSummary {
  wiped_at: string;
  unsent: { unsent_entries: number; unsent_photos: number; unsent_photo_bytes: number };
  reported: boolean;
  message_zh: string;
}

export interface SyncStatus {
  device_id?: string;
  enrolment?: { server_url: string; post_id: string; post_name: string } | null;
  /** outbox records not yet acknowledged */
  pending_records: number;
  /** distinct entries with unacknowledged changes (what the chip counts); may be absent */
  pending_entries?: number;
  pending_photo_bytes: number;
  rejected: RejectedRecord[];
  /** entries the county returned for a member to fix (the chip's badge); may be absent */
  returned_entries?: number;
  last_sync_at?: string | null;
  last_error?: string | null;
  clock_offset_ms?: number | null;
  clock_flagged?: boolean;
  /** the county had this phone wiped (停用并清除): when, and what was still unsent */
  wiped?: WipeSummary | null;
  syncing: boolean;
  online: boolean | null;
  progress?: SyncProgress | null;
}

export interface SyncReport {
  requests: number;
  acknowledged: number;
  rejected: number;
  pulled: number;
  photos_uploaded: number;
}

/** Whether the county has an entry (`entry_send_state`). */
export interface EntrySendState {
  state: "pending" | "sent" | "rejected" | "received" | string;
  /** The county's reasons, when it refused the entry. */
  problems: ValidationProblemOut[];
}
