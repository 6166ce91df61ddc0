// Where a problem the store reports (`AppError.problems[].field`, e.g. `body.partners[1].count`)
// is shown on a form, and the checks the form makes itself before asking the store.
import type { AppError } from "../tauri/commands";
import type { ValidationProblemOut } from "../tauri/types";
import { translatorFor, type Translate } from "../i18n";

export type FieldErrors = Record<string, string>;

/**
 * The form field a problem path belongs to: `body.description` → `description`,
 * `body.partners[1].count` → `partners`, `location.lat` → `lat`, `location` → `location`,
 * `photos` → `photos`, `occurred_at` → `occurred_at`.
 */
export function formFieldOf(path: string): string {
  const trimmed = path.trim();
  if (trimmed === "" || trimmed === "$") return "form";
  const withoutBody = trimmed.startsWith("body.") ? trimmed.slice(5) : trimmed;
  if (withoutBody.startsWith("location.")) {
    const sub = withoutBody.slice(9).split(/[.[]/)[0] ?? "";
    return sub === "lat" || sub === "lon" ? sub : "location";
  }
  return withoutBody.split(/[.[]/)[0] || "form";
}

/** The member's language text of a problem (message, message_zh or message_en). */
export function problemText(problem: ValidationProblemOut, english = false): string {
  if (english && problem.message_en) return problem.message_en;
  return problem.message ?? problem.message_zh ?? problem.message_en ?? "";
}

/** Every problem under its form field; several problems of one field are joined. */
export function problemsToFieldErrors(problems: ValidationProblemOut[], english = false): FieldErrors {
  const errors: FieldErrors = {};
  const separator = translatorFor(english ? "en-US" : "zh-CN")("check.separator");
  for (const problem of problems) {
    const field = formFieldOf(problem.field);
    const text = problemText(problem, english);
    if (!text) continue;
    errors[field] = errors[field] && errors[field] !== text ? `${errors[field]}${separator}${text}` : text;
  }
  return errors;
}

/**
 * Field errors of a failed save: the store's problems when it reports some, else the
 * error's message under `form` (shown at the top of the form).
 */
export function errorToFieldErrors(error: AppError, english = false): FieldErrors {
  if (error.problems && error.problems.length > 0) {
    const errors = problemsToFieldErrors(error.problems, english);
    if (Object.keys(errors).length > 0) return errors;
  }
  return { form: error.message };
}

/** A number typed into a field: trimmed text → number, or null when blank or not a number. */
export function parseNumber(text: string | number | null | undefined): number | null {
  if (typeof text === "number") return Number.isFinite(text) ? text : null;
  if (text === null || text === undefined) return null;
  const t = String(text).trim().replace(/，/g, ".").replace(/,/g, ".");
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Checks typed coordinates; both blank is fine (no location), half-filled is not. */
export function checkCoordinates(latText: string, lonText: string, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  const latBlank = latText.trim() === "";
  const lonBlank = lonText.trim() === "";
  if (latBlank && lonBlank) return errors;
  const lat = parseNumber(latText);
  const lon = parseNumber(lonText);
  if (lat === null || lat < -90 || lat > 90) errors.lat = t("check.latRange");
  if (lon === null || lon < -180 || lon > 180) errors.lon = t("check.lonRange");
  if (lat === 0 && lon === 0) errors.location = t("check.noFixYet");
  return errors;
}
