// Pivots of GET /api/v1/admin/statistics (one row per post, local month, kind and category)
// into what the statistics page shows: entries per month by kind, per post by kind, and per
// kind and category with its quantity, fixed hazards and months.
import { ENTRY_KINDS, type StatisticsRow } from "../api/types";

export interface MonthSeries {
  kind: string;
  /** Entries in each month of the year, January first. */
  values: number[];
}

export interface PostRow {
  postId: string;
  postName: string;
  /** Entries by kind code. */
  byKind: Record<string, number>;
  total: number;
}

export interface CategoryRow {
  kind: string;
  category: string | null;
  labelZh: string | null;
  unit: string | null;
  entries: number;
  quantity: number;
  fixed: number;
  /** Entries in each month of the year, January first. */
  monthly: number[];
}

export function yearMonths(year: number): string[] {
  return Array.from({ length: 12 }, (_, index) => `${year}-${String(index + 1).padStart(2, "0")}`);
}

function monthIndex(month: string, year: number): number {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[1]) !== year) return -1;
  const index = Number(match[2]) - 1;
  return index >= 0 && index < 12 ? index : -1;
}

function kindRank(kind: string): number {
  const rank = (ENTRY_KINDS as readonly string[]).indexOf(kind);
  return rank === -1 ? ENTRY_KINDS.length : rank;
}

/** Kinds that have entries, in the vocabulary's order. */
export function kindsPresent(rows: StatisticsRow[]): string[] {
  return [...new Set(rows.map((row) => row.kind))].sort((a, b) => kindRank(a) - kindRank(b));
}

/** One series per kind present: its entries in each month of `year` (rows of other years ignored). */
export function entriesByMonth(rows: StatisticsRow[], year: number): MonthSeries[] {
  return kindsPresent(rows).map((kind) => {
    const values = new Array<number>(12).fill(0);
    for (const row of rows) {
      const index = monthIndex(row.month, year);
      if (row.kind === kind && index >= 0) values[index]! += row.entries;
    }
    return { kind, values };
  });
}

/** One row per post (by name), entries by kind and in all. */
export function entriesByPost(rows: StatisticsRow[]): PostRow[] {
  const posts = new Map<string, PostRow>();
  for (const row of rows) {
    let post = posts.get(row.post_id);
    if (!post) {
      post = { postId: row.post_id, postName: row.post_name, byKind: {}, total: 0 };
      posts.set(row.post_id, post);
    }
    post.byKind[row.kind] = (post.byKind[row.kind] ?? 0) + row.entries;
    post.total += row.entries;
  }
  return [...posts.values()].sort((a, b) => a.postName.localeCompare(b.postName, "zh-CN"));
}

/** One row per kind and category, summed over posts and months; kinds in vocabulary order. */
export function totalsByCategory(rows: StatisticsRow[], year: number): CategoryRow[] {
  const categories = new Map<string, CategoryRow>();
  for (const row of rows) {
    const key = `${row.kind}\u0000${row.category ?? ""}`;
    let total = categories.get(key);
    if (!total) {
      total = {
        kind: row.kind,
        category: row.category,
        labelZh: row.category_label_zh,
        unit: row.unit,
        entries: 0,
        quantity: 0,
        fixed: 0,
        monthly: new Array<number>(12).fill(0),
      };
      categories.set(key, total);
    }
    total.entries += row.entries;
    total.quantity = Math.round((total.quantity + (row.quantity ?? 0)) * 1000) / 1000;
    total.fixed += row.fixed;
    const index = monthIndex(row.month, year);
    if (index >= 0) total.monthly[index]! += row.entries;
  }
  return [...categories.values()].sort(
    (a, b) => kindRank(a.kind) - kindRank(b.kind) || (a.category ?? "").localeCompare(b.category ?? ""),
  );
}
