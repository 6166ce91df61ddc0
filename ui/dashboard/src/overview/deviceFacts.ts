// What the overview says about a device's records: the gaps in its sequence ("400–402、517")
// and how many records they are.

/** The missing ranges as text: a single number alone, a range with an en dash. */
export function gapsText(missing: [number, number][] | null | undefined, separator = "、"): string {
  if (!missing || missing.length === 0) return "";
  return missing.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`)).join(separator);
}

/** How many records the ranges leave out (both ends included). */
export function missingCount(missing: [number, number][] | null | undefined): number {
  return (missing ?? []).reduce((sum, [from, to]) => sum + Math.max(0, to - from + 1), 0);
}
