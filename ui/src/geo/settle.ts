// Settling on an entry's position as a surveyor's app does: keep listening while the fixes get
// better, until one is good enough (GOOD_FIX_ACCURACY_M) or the member accepts the best so far;
// give up listening after SETTLE_LIMIT_MS with the best fix kept. Pure: the clock is passed in.
import type { Fix } from "./position";

/** A fix this close is taken without asking (metres, the radius the GPS reports). */
export const GOOD_FIX_ACCURACY_M = 20;
/** How long the field keeps listening for a better fix. */
export const SETTLE_LIMIT_MS = 120_000;

/** Where the settling stands: still listening, or done and why. */
export type SettleState = "locating" | "improving" | "good" | "accepted" | "timed_out" | "unavailable";

/** Whether `next` should replace `best`: the first fix, or one at least as accurate. */
export function betterFix(best: Fix | null, next: Fix): boolean {
  if (!best) return true;
  const accuracy = (fix: Fix) => fix.accuracy_m ?? Number.POSITIVE_INFINITY;
  return accuracy(next) <= accuracy(best);
}

/** Whether a fix is good enough to stop listening. */
export function goodFix(fix: Fix): boolean {
  return fix.accuracy_m !== undefined && fix.accuracy_m <= GOOD_FIX_ACCURACY_M;
}

/** The state after a new best fix arrived. */
export function stateAfterFix(fix: Fix): SettleState {
  return goodFix(fix) ? "good" : "improving";
}

/** Whether the state still listens to the GPS. */
export function listening(state: SettleState): boolean {
  return state === "locating" || state === "improving";
}

/** How old a fix is, for "5 秒前" / "3 分钟前": `{ unit, n }`. */
export function fixAge(fix: Fix, now: number): { unit: "seconds" | "minutes" | "hours"; n: number } {
  const seconds = Math.max(0, Math.round((now - fix.at) / 1000));
  if (seconds < 60) return { unit: "seconds", n: seconds };
  if (seconds < 3600) return { unit: "minutes", n: Math.floor(seconds / 60) };
  return { unit: "hours", n: Math.floor(seconds / 3600) };
}
