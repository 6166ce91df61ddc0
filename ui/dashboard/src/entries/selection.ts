// The entries the county has ticked on the list (for 批量通过 / 批量退回): a set of ids kept
// across "load more", emptied when the filters change. Pure functions over immutable sets.

/** How much of the rows shown is ticked: the "select all on this page" box shows it. */
export type PageSelection = "none" | "some" | "all";

/** `selected` with `id` ticked (`on`) or not. */
export function withEntry(selected: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(selected);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

/** `selected` with every row shown ticked (`on`) or none of them. */
export function withPage(selected: ReadonlySet<string>, pageIds: readonly string[], on: boolean): Set<string> {
  const next = new Set(selected);
  for (const id of pageIds) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}

export function pageSelection(selected: ReadonlySet<string>, pageIds: readonly string[]): PageSelection {
  const ticked = pageIds.filter((id) => selected.has(id)).length;
  if (ticked === 0) return "none";
  return ticked === pageIds.length ? "all" : "some";
}

/** The ticked ids in the order the list shows them (the order the decisions are sent in). */
export function selectedInListOrder(selected: ReadonlySet<string>, pageIds: readonly string[]): string[] {
  return pageIds.filter((id) => selected.has(id));
}
