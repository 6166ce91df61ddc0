import { describe, expect, it } from "vitest";
import type { BulkReviewOutcome, ReviewDecision } from "../api/types";
import { MAX_IDS_PER_REQUEST, inTurns, reviewInTurns } from "./bulkReview";

describe("a bulk decision", () => {
  it("goes in turns of at most 500 ids, in order", () => {
    const ids = Array.from({ length: 1201 }, (_, index) => `e${index}`);
    const turns = inTurns(ids);
    expect(turns.map((turn) => turn.length)).toEqual([500, 500, 201]);
    expect(turns.flat()).toEqual(ids);
    expect(inTurns([])).toEqual([]);
    expect(MAX_IDS_PER_REQUEST).toBe(500);
  });

  it("adds up the answers of each turn, sending the same decision and comment", async () => {
    const sent: [readonly string[], ReviewDecision, string][] = [];
    const send = async (ids: readonly string[], decision: ReviewDecision, comment: string): Promise<BulkReviewOutcome> => {
      sent.push([ids, decision, comment]);
      return { reviewed: ids.filter((id) => id !== "e3"), unchanged: ids.includes("e3") ? ["e3"] : [], not_found: [] };
    };
    const ids = Array.from({ length: 501 }, (_, index) => `e${index}`);
    const outcome = await reviewInTurns(send, ids, "returned", "位置不准确");
    expect(sent.map(([turn]) => turn.length)).toEqual([500, 1]);
    expect(sent.every(([, decision, comment]) => decision === "returned" && comment === "位置不准确")).toBe(true);
    expect(outcome.reviewed).toHaveLength(500);
    expect(outcome.unchanged).toEqual(["e3"]);
  });

  it("stops at the first refused turn", async () => {
    let calls = 0;
    const send = async (): Promise<BulkReviewOutcome> => {
      calls += 1;
      throw new Error("403");
    };
    await expect(reviewInTurns(send, Array.from({ length: 900 }, (_, index) => `e${index}`), "approved", "")).rejects.toThrow("403");
    expect(calls).toBe(1);
  });
});
