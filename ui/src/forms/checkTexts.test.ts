// Every form's own checks in both languages: a member who chose English reads each problem in
// English, on the same fields a member using Chinese sees theirs.
import { describe, expect, it } from "vitest";
import { translatorFor, type Translate } from "../i18n";
import type { FieldErrors } from "./problems";
import { checkCoordinates } from "./problems";
import { checkUntil, checkWhen } from "./entryDraft";
import { checkHazard, hazardDefaults } from "../hazard/hazardForm";
import { checkRepair, repairDefaults } from "../repair/repairForm";
import { checkIncident, incidentDefaults } from "../incident/incidentForm";
import { checkOutreach, outreachDefaults } from "../outreach/outreachForm";
import { checkActivity, activityDefaults } from "../activity/activityForm";
import { checkPatrol, patrolDefaults } from "../patrol/patrolForm";
import { checkPatrolWriteUp, patrolWriteUpDefaults } from "../patrol/patrolWriteUpForm";
import { checkEnrolment } from "../settings/settingsForm";
import { newPinProblem } from "../lock/lockState";

const zh = translatorFor("zh-CN");
const en = translatorFor("en-US");
const CHINESE = /[\u4e00-\u9fff]/;
const now = new Date(2024, 2, 5, 20, 0);

/** Each form's checks on values that set off its problems. */
const FORMS: [string, (t: Translate) => FieldErrors][] = [
  ["hazard", (t) => checkHazard({ ...hazardDefaults(), lat: "95", lon: "105.6", description: "铁".repeat(2001) }, t)],
  ["repair, too much", (t) => checkRepair({ ...repairDefaults(), category: "road", quantity: "1000001", unit: "count" }, t)],
  ["repair, no quantity", (t) => checkRepair({ ...repairDefaults(), lat: "0", lon: "0" }, t)],
  ["repair, nothing", (t) => checkRepair({ ...repairDefaults(), category: "fence", quantity: "0", unit: "m" }, t)],
  ["repair, not whole", (t) => checkRepair({ ...repairDefaults(), category: "water", quantity: "1.5", unit: "count" }, t)],
  ["incident", (t) => checkIncident({ ...incidentDefaults(), handedTo: "派".repeat(41) }, t)],
  ["incident, too many", (t) => checkIncident({ ...incidentDefaults(), crimeType: "smuggling", persons: "1001" }, t)],
  ["outreach", (t) => checkOutreach({ ...outreachDefaults(), lat: "23.6" }, t)],
  ["activity", (t) => checkActivity({ ...activityDefaults(), attendees: "0", topic: "演".repeat(2001) }, t)],
  ["patrol", (t) => checkPatrol({ ...patrolDefaults(), partners: [{ unit: "" as never, count: "0" }], findings: "便".repeat(2001) }, t)],
  ["patrol write-up", (t) => checkPatrolWriteUp({ ...patrolWriteUpDefaults(), distanceKm: "" }, t)],
  ["patrol write-up, too far", (t) => checkPatrolWriteUp({ ...patrolWriteUpDefaults(), distanceKm: "100000" }, t)],
  ["when", (t) => ({ ...checkWhen("2024-03-06 09:00", t, now), ...checkUntil({ when: "2024-03-05 10:00", until: "2024-03-05 09:00" }, t, now) })],
  ["when, misshapen", (t) => ({ ...checkWhen("2024-02-30 10:00", t, now), ...checkUntil({ when: "", until: "2024-13-01 10:00" }, t, now) })],
  ["until, later than now", (t) => checkUntil({ when: "", until: "2024-03-06 10:00" }, t, now)],
  ["coordinates", (t) => ({ ...checkCoordinates("0", "0", t), ...checkCoordinates("23.6", "200", t) })],
  ["enrolment", (t) => checkEnrolment("", "", t)],
  ["PIN", (t) => ({ short: newPinProblem("246", "246", t) ?? "", differs: newPinProblem("2468", "2469", t) ?? "" })],
  ["enrolment, no web address", (t) => ({ ...checkEnrolment("ftp://county.example", "K7QF", t), ...checkEnrolment("https://exa mple", "K7QF", t) })],
];

describe("the forms' own checks", () => {
  it.each(FORMS)("%s: every problem in English on the field the Chinese one is on", (_form, check) => {
    const chinese = check(zh);
    const english = check(en);
    expect(Object.keys(chinese).length).toBeGreaterThan(0);
    expect(Object.keys(english)).toEqual(Object.keys(chinese));
    for (const [field, problem] of Object.entries(english)) {
      expect(problem, `${field}: ${problem}`).not.toMatch(CHINESE);
      expect(problem).not.toBe("");
      expect(problem).not.toMatch(/^check\./);
      expect(chinese[field]).toMatch(CHINESE);
    }
  });

  it("fills the numbers and the field's name into the English sentences", () => {
    expect(checkActivity({ ...activityDefaults(), activityType: "drill", attendees: "0" }, en)).toEqual({
      attendees: "Attendees must be a whole number from 1 to 10000",
    });
    expect(checkIncident({ ...incidentDefaults(), crimeType: "smuggling", persons: "", handedTo: "派".repeat(41) }, en)).toEqual({
      persons: "Enter the persons involved (0 when only goods were found)",
      handed_to: "Too long: 41 characters, at most 40",
    });
    expect(checkPatrol({ ...patrolDefaults(), partners: [{ unit: "" as never, count: "0" }] }, en).partners).toBe(
      "Choose the partner unit; People must be a whole number from 1 to 10000",
    );
    expect(checkPatrol({ ...patrolDefaults(), partners: [{ unit: "" as never, count: "0" }] }, zh).partners).toBe(
      "请选择协同单位；人数应为 1 到 10000 的整数",
    );
  });
});
