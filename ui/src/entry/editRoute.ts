// The route of each kind's form, apart from the router so a screen the router imports (the
// entry detail, the sync screen) can use it without an import cycle.

/** The kinds with a form of their own (each `/<kind>` to record, `/<kind>/:id/edit` to edit). */
export const FORM_KINDS = ["patrol", "hazard", "repair", "incident", "outreach", "activity"] as const;

/** Whether this app has a form to edit entries of `kind`. */
export function canEditKind(kind: string): boolean {
  return (FORM_KINDS as readonly string[]).includes(kind);
}

/**
 * The route to edit an entry of a kind. A kind this app has no form for (an entry a newer
 * app synced here) leads to the entry's detail instead, never to another kind's form.
 */
export function editRouteOf(kind: string, id: string): string {
  const safeId = encodeURIComponent(id);
  return canEditKind(kind) ? `/${kind}/${safeId}/edit` : `/entry/${safeId}`;
}
