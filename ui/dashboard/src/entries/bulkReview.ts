// One decision on the ticked entries: POST /api/v1/admin/reviews takes at most 500 ids, so a
// longer selection goes in turns of 500 (each turn one transaction), and the answers add up.
import type { BulkReviewOutcome, ReviewDecision } from "../api/types";

export const MAX_IDS_PER_REQUEST = 500;

export type ReviewManyRequest = (ids: readonly string[], decision: ReviewDecision, comment: string) => Promise<BulkReviewOutcome>;

/** `ids` in turns of at most `size`, in order. */
export function inTurns<T>(ids: readonly T[], size = MAX_IDS_PER_REQUEST): T[][] {
  const turns: T[][] = [];
  for (let start = 0; start < ids.length; start += size) turns.push(ids.slice(start, start + size));
  return turns;
}

/** Sends the decision on every id, turn after turn; stops at the first failure (it throws). */
export async function reviewInTurns(
  send: ReviewManyRequest,
  ids: readonly string[],
  decision: ReviewDecision,
  comment: string,
): Promise<BulkReviewOutcome> {
  const total: BulkReviewOutcome = { reviewed: [], unchanged: [], not_found: [] };
  for (const turn of inTurns(ids)) {
    const outcome = await send(turn, decision, comment);
    total.reviewed.push(...outcome.reviewed);
    total.unchanged.push(...outcome.unchanged);
    total.not_found.push(...outcome.not_found);
  }
  return total;
}
