// The shapes the Tauri commands exchange (docs/app-commands.md). Values inside objects keep
// the Rust field names (snake_case), exactly as serde writes them.
//
// Generated from the Rust types (ui/src/generated/types.ts, by crates/ui-types with ts-rs): the
// names below are the UI's for them. Written here by hand, over generated pieces, are only the
// few wrappers the Tauri shell (src-tauri) declares itself — crates/ui-types cannot see the app
// crate, and building it there would build the app: ImportedPhoto, RunningPatrol, LockScreen,
// UnlockedMember, SyncStatus (the shell's SyncStateView), ValidationProblemOut and
// Wgs84Position.
import type { Member, PhotoHash, SyncProgress, SyncStatus as StoreSyncStatus, TrackSummary } from "../generated/types";
import type { Entry } from "../generated/types";

export type {
  ActivityBody,
  AppSettings as Settings,
  DisplaySettings,
  Entry,
  EntryDraft,
  EntrySendState,
  EntryVersion,
  HazardBody,
  HazardChoice,
  HomeSummary,
  IncidentBody,
  Location,
  Member,
  MonthSummary,
  OutreachBody,
  PatrolBody,
  PatrolPartner,
  PhotoAttachment,
  RejectedRecord,
  RepairBody,
  Review,
  SyncProgress,
  SyncReport,
  TextSize,
  TrackSummary,
  WipeSummary,
} from "../generated/types";
export type { CoordinateDatum, PhotoRole } from "../generated/vocabularies";

/** The body of an entry of one kind: `BodyOf<"hazard">` is a HazardBody. */
export type BodyOf<K extends Entry["kind"]> = Extract<Entry, { kind: K }>["body"];

/** A GPS fix as `append_track_point` takes it (src-tauri's TrackPointInput): RFC 3339 time. */
export interface TrackPointInput {
  lat: number;
  lon: number;
  accuracy_m?: number;
  altitude_m?: number;
  recorded_at: string;
}

/** src-tauri's Wgs84Position: what `convert_to_wgs84` answers. */
export interface Wgs84Position {
  lat: number;
  lon: number;
}

/** src-tauri's ImportedPhoto. */
export interface ImportedPhoto {
  sha256: PhotoHash;
  thumbnail_data_url: string;
}

/** src-tauri's RunningPatrol. */
export interface RunningPatrol {
  entry: Entry;
  track: TrackSummary;
}

/** src-tauri's Unlocked: the member unlocked. */
export interface UnlockedMember {
  name: string;
  leader: boolean;
}

/** src-tauri's LockScreen. */
export interface LockScreen {
  members: Member[];
  unlocked?: UnlockedMember;
  idle_lock_minutes: number;
}

/**
 * A field problem: the shell's AppError problems carry `message` (Chinese) and `message_en`
 * (src-tauri's FieldProblem); a rejected record's carry `message_zh` (ValidationProblem).
 */
export interface ValidationProblemOut {
  field: string;
  message?: string;
  message_zh?: string;
  message_en?: string;
}

/** What `sync_status` returns and `sync-state` carries: src-tauri's SyncStateView, the store's status flattened. */
export interface SyncStatus extends StoreSyncStatus {
  /** distinct entries with unacknowledged changes (what the chip counts); absent from shells
   * older than it, and the chip then counts `pending_records` */
  pending_entries?: number;
  syncing: boolean;
  /** whether the server answered the last probe or sync; null before the first */
  online: boolean | null;
  progress?: SyncProgress;
}
