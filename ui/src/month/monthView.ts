// The month screen's lines, from `month_summary`: pure, so the screen only lays them out.
import type { MonthSummary } from "../tauri/types";
import { kindLabelKey } from "../log/entry";

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** `YYYY-MM` of a date in the device's zone. */
export function monthOf(at: Date = new Date()): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}`;
}

/** The month `steps` months after `month` (before, when negative). */
export function shiftMonth(month: string, steps: number): string {
  const [year, number] = month.split("-").map(Number);
  return monthOf(new Date(year!, number! - 1 + steps, 1));
}

export interface MonthLine {
  title: string;
  value: string;
  label?: string;
}

/** One line per kind and category: "巡逻 · 联合巡逻", "3 条 · 12.5 公里". */
export function categoryLines(summary: MonthSummary, t: Translate): MonthLine[] {
  return summary.categories.map((category) => {
    const counted = t("month.entries", { n: category.entries });
    const quantity =
      category.quantity !== undefined && category.unit && category.unit !== "count"
        ? ` · ${category.quantity} ${t(`vocab.unit.${category.unit}`)}`
        : "";
    return { title: `${t(kindLabelKey(category.kind))} · ${category.category_label_zh}`, value: counted + quantity };
  });
}

/** One line per member, most entries first: "王明", "巡逻 2 · 隐患排查 1", "3 条". */
export function memberLines(summary: MonthSummary, t: Translate): MonthLine[] {
  return summary.members.map((member) => ({
    title: member.author || t("month.noAuthor"),
    // A kind and its count stay on one line (no-break space); lines break between kinds.
    label: member.by_kind.map((count) => `${t(kindLabelKey(count.kind))}\u00a0${count.entries}`).join(" · "),
    value: t("month.entries", { n: member.entries }),
  }));
}
