// Typed wrappers of the Tauri commands (docs/app-commands.md). Every failure is rethrown as
// the shell's AppError `{kind, message, problems?}`.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { EntryListQuery, EntryPage } from "../log/entry";
import { noteEntryChange } from "../app/changes";
import type {
  CoordinateDatum,
  Entry,
  EntryDraft,
  EntrySendState,
  EntryVersion,
  HazardChoice,
  HomeSummary,
  ImportedPhoto,
  Location,
  LockScreen,
  Member,
  MonthSummary,
  PatrolBody,
  PhotoAttachment,
  RunningPatrol,
  Settings,
  SyncProgress,
  SyncReport,
  SyncStatus,
  TextSize,
  TrackPointInput,
  TrackSummary,
  UnlockedMember,
  ValidationProblemOut,
  Wgs84Position,
} from "./types";

export interface AppError {
  kind: string;
  message: string;
  problems?: ValidationProblemOut[];
}

/** Normalises whatever a failed invoke threw into an AppError. */
export function toAppError(thrown: unknown): AppError {
  if (typeof thrown === "object" && thrown !== null && "kind" in thrown && "message" in thrown) {
    const { kind, message, problems } = thrown as { kind: unknown; message: unknown; problems?: unknown };
    const error: AppError = { kind: String(kind), message: String(message) };
    if (Array.isArray(problems)) error.problems = problems as ValidationProblemOut[];
    return error;
  }
  if (typeof thrown === "string") {
    // A command that failed before reaching our error type (e.g. argument deserialisation).
    return { kind: "ui", message: thrown };
  }
  if (thrown instanceof Error) return { kind: "ui", message: thrown.message };
  return { kind: "ui", message: String(thrown) };
}

let onLocked: () => void = () => {};

/** Who to tell when a command finds the phone locked (the shell's idle backstop): the lock screen. */
export function whenLocked(callback: () => void): void {
  onLocked = callback;
}

async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.kind === "locked") onLocked();
    throw error;
  }
}

/** A command that changes entries: the log reloads when the member returns to it. */
async function change<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = await call<T>(command, args);
  noteEntryChange();
  return result;
}

// Entries
export const listEntries = (query: EntryListQuery = {}) => call<EntryPage>("list_entries", { query });
export const getEntry = (id: string) => call<Entry>("get_entry", { id });
export const entryHistory = (id: string) => call<EntryVersion[]>("entry_history", { id });
export const entrySendState = (id: string) => call<EntrySendState>("entry_send_state", { id });
export const recordEntry = (draft: EntryDraft, photos: PhotoAttachment[] = []) =>
  change<Entry>("record_entry", { draft, photos });
/** `photos` replace the entry's (added ones imported first); left out, they stay. */
export const editEntry = (id: string, draft: EntryDraft, photos?: PhotoAttachment[]) =>
  change<Entry>("edit_entry", photos ? { id, draft, photos } : { id, draft });
export const deleteEntry = (id: string) => change<Entry>("delete_entry", { id });
export const openHazards = (near?: Location | null, limit?: number) => {
  const args: Record<string, unknown> = {};
  if (near) args.near = { lat: near.lat, lon: near.lon };
  if (limit !== undefined) args.limit = limit;
  return call<HazardChoice[]>("open_hazards", args);
};
export const homeSummary = () => call<HomeSummary>("home_summary");
export const monthSummary = (month?: string) => call<MonthSummary>("month_summary", month ? { month } : {});

// Photos
export const importPhoto = (bytesBase64: string, fileName: string) =>
  call<ImportedPhoto>("import_photo", { bytesBase64, fileName });
export const photoThumbnail = (sha256: string) => call<string | null>("photo_thumbnail", { sha256 });

// Patrol
export const startPatrol = (body?: PatrolBody, location?: Location | null) => {
  const args: Record<string, unknown> = {};
  if (body) args.body = body;
  if (location) args.location = location;
  return change<Entry>("start_patrol", args);
};
export const runningPatrol = () => call<RunningPatrol | null>("running_patrol");
export const appendTrackPoint = (patrolId: string, point: TrackPointInput) =>
  call<TrackSummary>("append_track_point", { patrolId, point });
export const endPatrol = (patrolId: string, body: PatrolBody) => change<Entry>("end_patrol", { patrolId, body });

// Coordinates typed from a map
/** Coordinates in `datum` (Gaode/Tencent `gcj02`, Baidu `bd09`, `wgs84`) → the WGS-84 to store.
 * A number the field holds as text is sent as it is; a bad one is `invalid` naming `lat` or `lon`. */
export const convertToWgs84 = (lat: number | string, lon: number | string, datum: CoordinateDatum) =>
  call<Wgs84Position>("convert_to_wgs84", { lat, lon, datum });

// Drafts
export const saveDraft = (form: string, json: string) => call<null>("save_draft", { form, json });
export const loadDraft = (form: string) => call<string | null>("load_draft", { form });
export const clearDraft = (form: string) => call<null>("clear_draft", { form });

// Settings and enrolment
export const getSettings = () => call<Settings>("get_settings");
export const setRoster = (names: string[]) => call<null>("set_roster", { names });
export const setLanguage = (language: "zh-CN" | "en") => call<null>("set_language", { language });
export const setTextSize = (size: TextSize) => call<null>("set_text_size", { size });
export const setHighContrast = (on: boolean) => call<null>("set_high_contrast", { on });
export const setAllowInsecureHttp = (allow: boolean) => call<null>("set_allow_insecure_http", { allow });
export const enrollDevice = (serverUrl: string, code: string) =>
  call<{ post_name: string }>("enroll_device", { serverUrl, code });

// Who holds the phone
export const lockScreen = () => call<LockScreen>("lock_screen");
export const unlock = (name: string, pin: string) => call<UnlockedMember>("unlock", { name, pin });
export const setFirstPin = (name: string, pin: string) => call<UnlockedMember>("set_first_pin", { name, pin });
export const lock = () => call<null>("lock");
export const keepUnlocked = () => call<null>("keep_unlocked");
export const setIdleLock = (minutes: number) => call<null>("set_idle_lock", { minutes });
export const resetMemberPin = (name: string) => call<Member>("reset_member_pin", { name });

// Sync
export const syncStatus = () => call<SyncStatus>("sync_status");
export const syncNow = () => call<SyncReport>("sync_now");

/** Subscribes to the background sync task's events; resolves to one function ending both. */
export async function listenSync(
  onState: (status: SyncStatus) => void,
  onProgress: (progress: SyncProgress) => void,
): Promise<UnlistenFn> {
  const unlistenState = await listen<SyncStatus>("sync-state", (event) => onState(event.payload));
  const unlistenProgress = await listen<SyncProgress>("sync-progress", (event) => onProgress(event.payload));
  return () => {
    unlistenState();
    unlistenProgress();
  };
}
