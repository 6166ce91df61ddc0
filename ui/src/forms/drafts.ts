// A half-filled form kept in the store (`save_draft`) so it survives the app closing.
// The JSON carries a version and the form's name; anything else read back is ignored.

export const DRAFT_VERSION = 1;

export interface StoredDraft<T> {
  v: number;
  form: string;
  saved_at: string;
  values: T;
}

export function serializeDraft<T>(form: string, values: T, savedAt: Date = new Date()): string {
  const stored: StoredDraft<T> = { v: DRAFT_VERSION, form, saved_at: savedAt.toISOString(), values };
  return JSON.stringify(stored);
}

/**
 * The values of a saved draft laid over the form's defaults: only keys the defaults know,
 * each of the same type (arrays stay arrays). Null for missing, foreign or broken drafts.
 */
export function parseDraft<T extends object>(form: string, json: string | null, defaults: T): T | null {
  if (!json) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof stored !== "object" || stored === null) return null;
  const { v, form: storedForm, values } = stored as Partial<StoredDraft<unknown>>;
  if (v !== DRAFT_VERSION || storedForm !== form || typeof values !== "object" || values === null) return null;
  const result = { ...defaults } as Record<string, unknown>;
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = (values as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (Array.isArray(fallback) ? Array.isArray(value) : typeof value === typeof fallback || fallback === null) {
      result[key] = value;
    }
  }
  return result as T;
}

/** True when the values differ from the defaults (an untouched form is not worth keeping). */
export function isTouched<T extends object>(values: T, defaults: T): boolean {
  return JSON.stringify(values) !== JSON.stringify(defaults);
}

/** Calls `fn` once `ms` after the last call; `flush` runs a pending call now. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastArgs: A | null = null;
  const run = (...args: A) => {
    lastArgs = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const pending = lastArgs;
      lastArgs = null;
      if (pending) fn(...pending);
    }, ms);
  };
  run.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastArgs = null;
  };
  run.flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const pending = lastArgs;
    lastArgs = null;
    if (pending) fn(...pending);
  };
  return run;
}
