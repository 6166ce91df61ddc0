import { beforeEach, describe, expect, it } from "vitest";
import type { EntryPage, EntrySummary } from "../api/types";
import { emptyFilters } from "../entries/entryQuery";
import { forgetQueue, neighbourOf, rememberList } from "./reviewQueue";

const pending = { ...emptyFilters(), review: "pending" };

/** A list of `ids` served `size` at a time; the cursors asked for are kept. */
function pagedList(ids: string[], size: number) {
  const asked: (string | null)[] = [];
  const load = async (cursor: string | null): Promise<EntryPage> => {
    asked.push(cursor);
    const start = cursor ? Number(cursor) : 0;
    const entries = ids.slice(start, start + size).map((id) => ({ id }) as EntrySummary);
    return { entries, next_cursor: start + size < ids.length ? String(start + size) : null };
  };
  return { asked, load };
}

describe("the list an entry's page walks", () => {
  beforeEach(forgetQueue);

  it("gives the next and previous entry of the list the entries page showed, without asking again", async () => {
    rememberList(pending, ["e1", "e2", "e3"], null);
    const { asked, load } = pagedList([], 10);
    expect(await neighbourOf("e2", 1, pending, load)).toBe("e3");
    expect(await neighbourOf("e2", -1, pending, load)).toBe("e1");
    expect(await neighbourOf("e1", -1, pending, load)).toBeNull();
    expect(await neighbourOf("e3", 1, pending, load)).toBeNull();
    expect(asked).toEqual([]);
  });

  it("loads the next page at the end of what was shown", async () => {
    const { asked, load } = pagedList(["e1", "e2", "e3", "e4"], 2);
    rememberList(pending, ["e1", "e2"], "2");
    expect(await neighbourOf("e2", 1, pending, load)).toBe("e3");
    expect(asked).toEqual(["2"]);
  });

  it("keeps an entry approved meanwhile, so its next is still the one after it", async () => {
    rememberList(pending, ["e1", "e2", "e3"], null);
    // The server's pending list no longer holds e1 once approved; the queue still does.
    expect(await neighbourOf("e1", 1, pending, pagedList(["e2", "e3"], 10).load)).toBe("e2");
  });

  it("loads the list itself for an entry opened from a link, or for other filters", async () => {
    rememberList(pending, ["e1", "e2"], null);
    const high = { ...emptyFilters(), severity: "high" };
    const { asked, load } = pagedList(["h1", "h2", "h3", "h4", "h5"], 2);
    expect(await neighbourOf("h4", 1, high, load)).toBe("h5");
    expect(asked).toEqual([null, "2", "4"]);
    expect(await neighbourOf("h4", -1, high, load)).toBe("h3");
    expect(await neighbourOf("nowhere", 1, high, load)).toBeNull();
  });
});
