// The rule the server holds for a post's name (docs/county-api.md): not blank, at most 40
// characters. Checked here first so the form says so before asking.

export const MAX_POST_NAME_CHARS = 40;

/** The message key of the problem with `name`, or null when it may be sent. */
export function checkPostName(name: string): "nameRequired" | "nameTooLong" | null {
  const trimmed = name.trim();
  if (!trimmed) return "nameRequired";
  if ([...trimmed].length > MAX_POST_NAME_CHARS) return "nameTooLong";
  return null;
}
