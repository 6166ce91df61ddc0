// Who holds the phone, for the whole app: the lock screen's members, the member unlocked, and
// the idle timer. The app opens locked; it locks again after the idle time without a touch, on
// "锁定" / "换人", and whenever the shell answers `locked` (its own idle backstop). While locked
// the screens stay mounted but hidden (a running patrol's GPS watch goes on), and no entry is
// shown. The rules (PINs, back-off, the leader) are the shell's; this module only follows them.
import { reactive } from "vue";
import {
  keepUnlocked,
  lock,
  lockScreen,
  setFirstPin,
  setIdleLock,
  unlock,
  whenLocked,
} from "../tauri/commands";
import type { Member, UnlockedMember } from "../tauri/types";
import type { Translate } from "../i18n";
import { MAX_PIN_DIGITS, MIN_PIN_DIGITS } from "../generated/limits";
export { MAX_PIN_DIGITS, MIN_PIN_DIGITS };

/** A touch renews the shell's session at most this often. */
export const KEEP_UNLOCKED_EVERY_MS = 30_000;
export const IDLE_LOCK_CHOICES = [1, 5, 15, 30] as const;

export const lockState = reactive<{
  /** Read from the shell at least once. */
  loaded: boolean;
  members: Member[];
  member: UnlockedMember | null;
  idleMinutes: number;
  /** Counts unlocks, so the screens reload for the member now holding the phone. */
  unlocks: number;
}>({ loaded: false, members: [], member: null, idleMinutes: 5, unlocks: 0 });

let idleTimer: ReturnType<typeof setTimeout> | null = null;
let lastKeptAt = 0;

/** The lock screen's members and whether someone is unlocked (a reloaded window keeps them). */
export async function refreshLockScreen(): Promise<void> {
  const screen = await lockScreen();
  lockState.members = screen.members;
  lockState.idleMinutes = screen.idle_lock_minutes;
  const wasUnlocked = lockState.member !== null;
  lockState.member = screen.unlocked ?? null;
  lockState.loaded = true;
  if (lockState.member && !wasUnlocked) armIdleTimer();
  if (!lockState.member) disarmIdleTimer();
}

/** A PIN of the shape the shell accepts, or the problem in the member's language. */
export function pinProblem(pin: string, t: Translate): string | null {
  if (new RegExp(`^\\d{${MIN_PIN_DIGITS},${MAX_PIN_DIGITS}}$`).test(pin)) return null;
  return t("check.pinShape", { min: MIN_PIN_DIGITS, max: MAX_PIN_DIGITS });
}

/** The problem with a new PIN typed twice, or null. */
export function newPinProblem(pin: string, again: string, t: Translate): string | null {
  const shape = pinProblem(pin, t);
  if (shape) return shape;
  if (pin !== again) return t("check.pinsDiffer");
  return null;
}

async function unlocked(member: UnlockedMember): Promise<void> {
  lockState.member = member;
  lockState.unlocks += 1;
  lastKeptAt = Date.now();
  armIdleTimer();
  await refreshLockScreen().catch(() => {});
}

/** Unlocks for `name` with their PIN; rejects with the shell's error (`wrong_pin`, `pin_blocked`). */
export async function unlockAs(name: string, pin: string): Promise<void> {
  await unlocked(await unlock(name, pin));
}

/** Sets the first PIN of a member who has none (or the first member of a fresh phone) and unlocks. */
export async function setUpPin(name: string, pin: string): Promise<void> {
  await unlocked(await setFirstPin(name, pin));
}

/** Locks now ("锁定", "换人", the idle timer). The screens stay mounted behind the lock screen. */
export async function lockNow(): Promise<void> {
  lockState.member = null;
  disarmIdleTimer();
  try {
    await lock();
  } finally {
    await refreshLockScreen().catch(() => {});
  }
}

export async function chooseIdleMinutes(minutes: number): Promise<void> {
  await setIdleLock(minutes);
  lockState.idleMinutes = minutes;
  armIdleTimer();
}

function disarmIdleTimer(): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
}

function armIdleTimer(): void {
  disarmIdleTimer();
  if (!lockState.member) return;
  idleTimer = setTimeout(() => void lockNow(), lockState.idleMinutes * 60_000);
}

/** A touch, a key, a scroll: the member is still there. */
export function noteActivity(now = Date.now()): void {
  if (!lockState.member) return;
  armIdleTimer();
  if (now - lastKeptAt >= KEEP_UNLOCKED_EVERY_MS) {
    lastKeptAt = now;
    void keepUnlocked().catch(() => {});
  }
}

const ACTIVITY_EVENTS = ["pointerdown", "keydown", "touchstart", "wheel", "scroll"] as const;

function onActivity(): void {
  noteActivity();
}

/** Follows the member's touches and the shell's `locked` answers; returns the function ending it. */
export function watchActivity(target: Window = window): () => void {
  for (const event of ACTIVITY_EVENTS) target.addEventListener(event, onActivity, { passive: true, capture: true });
  whenLocked(() => {
    if (lockState.member) {
      lockState.member = null;
      disarmIdleTimer();
      void refreshLockScreen().catch(() => {});
    }
  });
  return () => {
    for (const event of ACTIVITY_EVENTS) target.removeEventListener(event, onActivity, { capture: true });
    whenLocked(() => {});
    disarmIdleTimer();
  };
}
