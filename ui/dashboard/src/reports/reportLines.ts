// The year-end report's key figures as sentences in the county's own words (the shape of
// /work/shared/seed-funing-2024.txt: "联合巡逻 330 次", "协助查处跨境违法犯罪案件 3 起 5 人",
// "修复水毁道路 7.2 公里" …), each with the numbers it states so a test can check them.
import { zhCN } from "../../../src/i18n/messages";
import type { AnnualReport } from "../api/types";
import type { Language } from "../lib/time";

export interface ReportLine {
  /** Which figure: "patrols.joint", "repairs.road", "activities.training", "hazards" … */
  key: string;
  text: string;
  /** The numbers the sentence states, in the order it states them. */
  values: number[];
}

/** A figure as the report prints it: whole numbers as they are, others to at most 3 decimals. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return "0";
  return String(Math.round(value * 1000) / 1000);
}

const REPAIR_VERB_ZH: Record<string, string> = {
  road: "修复水毁道路",
  landslide: "清理塌方",
  water: "修复水源",
  power: "修复电路",
  fence: "修复铁网",
  camera: "修复技防设施",
  other: "其他修复",
};

const REPAIR_EN: Record<string, string> = {
  road: "Flood-damaged road repaired",
  landslide: "Landslides cleared",
  water: "Water sources repaired",
  power: "Power circuits repaired",
  fence: "Iron fence repaired",
  camera: "Cameras / sensors repaired",
  other: "Other repairs",
};

/** The Chinese sentences' unit names: the shared vocab.unit (公里, 米, 处, 人). */
const UNIT_ZH: Record<string, string> = zhCN.vocab.unit;

/** The order the county's report names activities in; any others follow in vocabulary order. */
const ACTIVITY_ORDER = ["training", "joint_meeting", "quarterly_meeting", "drill"];

function activityRank(code: string): number {
  const rank = ACTIVITY_ORDER.indexOf(code);
  return rank === -1 ? ACTIVITY_ORDER.length : rank;
}

export function annualReportLines(report: AnnualReport, language: Language = "zh-CN"): ReportLine[] {
  const zh = language === "zh-CN";
  const lines: ReportLine[] = [];
  const { patrols, incidents, outreach, hazards } = report;

  lines.push({
    key: "patrols.joint",
    text: zh ? `联合巡逻 ${patrols.joint} 次` : `Joint patrols: ${patrols.joint}`,
    values: [patrols.joint],
  });
  lines.push({
    key: "patrols.total",
    text: zh
      ? `巡逻共 ${patrols.total} 次，里程 ${figure(patrols.distance_km)} 公里`
      : `Patrols in all: ${patrols.total}, ${figure(patrols.distance_km)} km`,
    values: [patrols.total, patrols.distance_km],
  });
  lines.push({
    key: "incidents",
    text: zh
      ? `协助查处跨境违法犯罪案件 ${incidents.cases} 起 ${incidents.persons} 人`
      : `Cross-border crime cases assisted: ${incidents.cases} cases, ${incidents.persons} persons`,
    values: [incidents.cases, incidents.persons],
  });
  lines.push({
    key: "outreach",
    text: zh
      ? `普法宣传 ${outreach.sessions} 次、受教育群众 ${outreach.audience} 人`
      : `Legal outreach: ${outreach.sessions} sessions, ${outreach.audience} people reached`,
    values: [outreach.sessions, outreach.audience],
  });
  for (const repair of report.repairs) {
    const amount = figure(repair.quantity);
    lines.push({
      key: `repairs.${repair.code}`,
      text: zh
        ? `${REPAIR_VERB_ZH[repair.code] ?? repair.label_zh} ${amount} ${UNIT_ZH[repair.unit] ?? repair.unit}`
        : `${REPAIR_EN[repair.code] ?? repair.label_zh}: ${amount} ${repair.unit === "count" ? "" : repair.unit}`.trimEnd(),
      values: [repair.quantity],
    });
  }
  const activities = [...report.activities].sort((a, b) => activityRank(a.code) - activityRank(b.code));
  for (const activity of activities) {
    lines.push({
      key: `activities.${activity.code}`,
      text: zh ? `${activity.label_zh} ${activity.sessions} 次` : `${activity.label_zh}: ${activity.sessions}`,
      values: [activity.sessions],
    });
  }
  lines.push({
    key: "hazards",
    text: zh
      ? `排查发现隐患 ${hazards.found} 处，已整改 ${hazards.fixed} 处，待整改 ${hazards.open} 处`
      : `Hazards found: ${hazards.found}, fixed ${hazards.fixed}, open ${hazards.open}`,
    values: [hazards.found, hazards.fixed, hazards.open],
  });
  return lines;
}
