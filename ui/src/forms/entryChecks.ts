// Checks the entry forms share, mirroring patrol-model's rules
// (validation.rs: short texts ≤ 40 characters, descriptions ≤ 2000) so a member sees the
// problem on its field before anything is sent. The store checks again. Each check is given the
// screen's `t`, so its text is in the member's language (messages.ts `check`).
import { parseNumber } from "./problems";
import type { Translate } from "../i18n";
import { MAX_SHORT_TEXT_CHARS, MAX_LONG_TEXT_CHARS } from "../generated/limits";
export { MAX_SHORT_TEXT_CHARS, MAX_LONG_TEXT_CHARS };

/**
 * A head-count typed on the numeric keypad: blank → `missing`; not a whole number in
 * `min`..`max` → "<label>应为 min 到 max 的整数" (the store's words). Undefined when fine.
 */
export function checkHeadCount(
  text: string,
  t: Translate,
  range: { min: number; max: number; label: string; missing: string },
): string | undefined {
  if (text.trim() === "") return range.missing;
  const count = parseNumber(text);
  if (count === null || !Number.isInteger(count) || count < range.min || count > range.max) {
    return t("check.wholeNumber", { label: range.label, min: range.min, max: range.max });
  }
  return undefined;
}

/** A short text: blank → `missing` (when it is required), too long → how long it may be. */
export function checkShortText(text: string, t: Translate, missing?: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return missing;
  const count = [...trimmed].length;
  if (count > MAX_SHORT_TEXT_CHARS) return t("check.shortTextTooLong", { count, max: MAX_SHORT_TEXT_CHARS });
  return undefined;
}

/** An optional text: only its length matters. */
export function checkLongText(text: string, t: Translate, max = MAX_LONG_TEXT_CHARS): string | undefined {
  const count = [...text.trim()].length;
  return count > max ? t("check.longTextTooLong", { count, max }) : undefined;
}

/** The whole number typed, for the draft (the store reports anything else by field). */
export function headCountOf(text: string): number | string {
  const count = parseNumber(text);
  return count === null ? text : count;
}

/** Field errors without the fields that are fine. */
export function onlyProblems(errors: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [field, problem] of Object.entries(errors)) if (problem) kept[field] = problem;
  return kept;
}
