// The patrol's track recorder, one for the whole app: it records from a patrol's start to its
// end whatever screen is open (and while the phone is locked), each usable GPS fix a committed
// track point in the store. The patrol screen starts and ends patrols through it and, before a
// start, asks it for fixes; every other screen only reads its state. The app starts it
// (`resumeRunningPatrol`) and tells it of every screen change (`restartStalledWatch`).
import { reactive } from "vue";
import { appendTrackPoint, endPatrol, runningPatrol, startPatrol } from "../tauri/commands";
import type { Entry, PatrolBody, TrackSummary } from "../tauri/types";
import { watchPosition, type Fix } from "../geo/position";
import { toLocalRfc3339 } from "../lib/time";
import { worthRecording } from "./patrolForm";

/** A fix older than this is not used as the start of a new track. */
const FRESH_FIX_MS = 30_000;
/**
 * A watch that has given no fix for this long (or none since it started) is started again on
 * the next screen change: a webview's watch can stall after the app was in the background.
 */
const STALLED_WATCH_MS = 30_000;

export type GpsState = "waiting" | "fixed" | "unavailable";

export interface TrackRecorderState {
  /** The patrol being recorded, or null. */
  patrol: Entry | null;
  track: TrackSummary;
  gps: GpsState;
  lastFix: Fix | null;
  /** True once the store was asked for a patrol still running. */
  loaded: boolean;
}

const emptyTrack = (): TrackSummary => ({ patrol_id: "", point_count: 0, uncounted_point_count: 0, distance_m: 0, running: false });

export const trackRecorder = reactive<TrackRecorderState>({
  patrol: null,
  track: emptyTrack(),
  gps: "waiting",
  lastFix: null,
  loaded: false,
});

let lastRecorded: Fix | null = null;
let appendChain: Promise<unknown> = Promise.resolve();
let stopWatch: (() => void) | null = null;
/** When the current watch started, and when it last gave a fix (local clock, ms). */
let watchStartedAt = 0;
let lastFixReceivedAt = 0;
/** Screens that want fixes without a running patrol (the patrol screen before its start). */
let followers = 0;

function recordPoint(fix: Fix): void {
  const current = trackRecorder.patrol;
  if (!current || !worthRecording(lastRecorded, fix)) return;
  lastRecorded = fix;
  const point = {
    lat: fix.lat,
    lon: fix.lon,
    recorded_at: toLocalRfc3339(new Date(fix.at)),
    ...(fix.accuracy_m !== undefined ? { accuracy_m: fix.accuracy_m } : {}),
    ...(fix.altitude_m !== undefined ? { altitude_m: fix.altitude_m } : {}),
  };
  appendChain = appendChain
    .then(() => appendTrackPoint(current.id, point))
    .then((summary) => {
      if (trackRecorder.patrol?.id === current.id) trackRecorder.track = summary;
    })
    .catch(() => {
      // The point is lost, the patrol goes on; the next fix is tried again.
      lastRecorded = null;
    });
}

function startWatch(): void {
  stopWatch?.();
  watchStartedAt = Date.now();
  lastFixReceivedAt = 0;
  stopWatch = watchPosition(
    (fix) => {
      lastFixReceivedAt = Date.now();
      trackRecorder.gps = "fixed";
      trackRecorder.lastFix = fix;
      recordPoint(fix);
    },
    () => {
      if (!trackRecorder.lastFix) trackRecorder.gps = "unavailable";
    },
  );
}

/** Watches the position while a patrol runs or a screen follows it; else not (battery). */
function updateWatch(): void {
  const wanted = trackRecorder.patrol !== null || followers > 0;
  if (wanted && !stopWatch) startWatch();
  if (!wanted && stopWatch) {
    stopWatch();
    stopWatch = null;
  }
}

/** Asks the store for a patrol still running (after a restart) and records it from now on. */
export async function resumeRunningPatrol(): Promise<void> {
  const running = await runningPatrol();
  if (running && trackRecorder.patrol?.id !== running.entry.id) {
    trackRecorder.patrol = running.entry;
    trackRecorder.track = running.track;
    lastRecorded = null;
  }
  trackRecorder.loaded = true;
  updateWatch();
}

/** Fixes for a screen that shows the position before a patrol starts; returns the stop. */
export function followPosition(): () => void {
  followers += 1;
  updateWatch();
  let followed = true;
  return () => {
    if (!followed) return;
    followed = false;
    followers -= 1;
    updateWatch();
  };
}

/** Called on every screen change: a watch that stalled or never answered is started again. */
export function restartStalledWatch(now: number = Date.now()): void {
  if (!stopWatch) return;
  const heardAt = lastFixReceivedAt || watchStartedAt;
  if (lastFixReceivedAt === 0 || now - heardAt >= STALLED_WATCH_MS) startWatch();
}

/** Starts a patrol with what is known now; the fix already there is its start when fresh. */
export async function beginPatrol(body: PatrolBody): Promise<Entry> {
  const fix = trackRecorder.lastFix;
  const entry = await startPatrol(body, fix ? { lat: fix.lat, lon: fix.lon } : null);
  trackRecorder.patrol = entry;
  trackRecorder.track = emptyTrack();
  lastRecorded = null;
  updateWatch();
  if (fix && Date.now() - fix.at < FRESH_FIX_MS) recordPoint(fix);
  return entry;
}

/** Ends the patrol being recorded once its last points are stored. */
export async function finishPatrol(body: PatrolBody): Promise<Entry | null> {
  const current = trackRecorder.patrol;
  if (!current) return null;
  await appendChain;
  const ended = await endPatrol(current.id, body);
  trackRecorder.patrol = null;
  trackRecorder.track = emptyTrack();
  lastRecorded = null;
  updateWatch();
  return ended;
}

/** Stops everything and forgets the patrol (tests; a wiped phone). */
export function resetTrackRecorder(): void {
  stopWatch?.();
  stopWatch = null;
  followers = 0;
  lastRecorded = null;
  appendChain = Promise.resolve();
  Object.assign(trackRecorder, { patrol: null, track: emptyTrack(), gps: "waiting", lastFix: null, loaded: false });
}
