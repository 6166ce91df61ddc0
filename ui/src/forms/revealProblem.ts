// Leading the member to what is wrong: on Save, the first problem on the screen is scrolled to
// the middle and its field focused (it may be 400 px above the Save button); and a problem goes
// as soon as its field is changed, not at the next Save.
import { nextTick } from "vue";
import type { FieldErrors } from "./problems";

/** What shows a problem on a form: a field's message, a choice grid's, the form's own. */
const PROBLEM_SELECTOR = ".screen .van-field__error-message, .screen .field-error, .screen .form-error";

/** Scrolls the first problem shown into view and focuses its input (after the next render). */
export async function revealFirstProblem(): Promise<void> {
  await nextTick();
  const problem = document.querySelector<HTMLElement>(PROBLEM_SELECTOR);
  if (!problem) return;
  const field = problem.closest<HTMLElement>(".van-field");
  const target = field ?? problem;
  if (typeof target.scrollIntoView === "function") target.scrollIntoView({ block: "center" });
  field?.querySelector<HTMLElement>("input:not([readonly]), textarea:not([readonly])")?.focus({ preventScroll: true });
}

/**
 * The problem keys a form value's change settles: its own name in the store's snake_case
 * (`crimeType` → `crime_type`), the start's `occurred_at` (and the end's order with it), the
 * end's `ended_at`, a coordinate's `location` too, and every photo picker's `photos`.
 */
export function problemKeysOf(valueKey: string): string[] {
  if (valueKey === "when") return ["occurred_at", "ended_at"];
  if (valueKey === "until") return ["ended_at"];
  if (valueKey === "lat" || valueKey === "lon") return [valueKey, "location"];
  if (valueKey === "photos" || valueKey === "before" || valueKey === "after") return ["photos"];
  return [valueKey.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)];
}

/** The value keys that differ between two snapshots of a form's values. */
export function changedValueKeys(now: Record<string, unknown>, before: Record<string, unknown>): string[] {
  return Object.keys(now).filter((key) => JSON.stringify(now[key]) !== JSON.stringify(before[key]));
}

/** `errors` without the problems the changed values settle (the same object when none). */
export function withoutSettled(errors: FieldErrors, changed: string[]): FieldErrors {
  const settled = new Set(changed.flatMap(problemKeysOf));
  if (!Object.keys(errors).some((key) => settled.has(key))) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([key]) => !settled.has(key)));
}
