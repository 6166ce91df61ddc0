// The review keys of an entry's page: A 通过并下一条, R 退回, J next, K previous. A key typed
// into a field, or pressed with Ctrl/Alt/Meta (the browser's own shortcuts), is not one.

export type ReviewShortcut = "approveAndNext" | "return" | "next" | "previous";

const KEYS: Record<string, ReviewShortcut> = { a: "approveAndNext", r: "return", j: "next", k: "previous" };

/** The keys as the page lists them. */
export const SHORTCUT_KEYS: readonly [string, ReviewShortcut][] = [
  ["A", "approveAndNext"],
  ["R", "return"],
  ["J", "next"],
  ["K", "previous"],
];

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  repeat?: boolean;
  target: EventTarget | null;
}

/** Whether the key goes to a field being typed in (input, textarea, select, editable text). */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  return element.closest("input, textarea, select, [contenteditable='true']") !== null;
}

export function shortcutOf(press: KeyPress): ReviewShortcut | null {
  if (press.ctrlKey || press.altKey || press.metaKey || press.repeat) return null;
  if (isTyping(press.target)) return null;
  return KEYS[press.key.toLowerCase()] ?? null;
}
