// A patrol written up afterwards (补记巡逻): the member forgot to start it, or the phone was
// flat. No track: its start and end as the member says them (both required), the distance
// typed in km (the county's 巡逻里程 counts it), members, partner units, markers and findings
// (the frame's description). Recorded as an ended patrol (patrol_model::PatrolBody).
import { parseNumber, checkCoordinates, type FieldErrors } from "../forms/problems";
import { onlyProblems } from "../forms/entryChecks";
import { blankEnvelope, entryDraftOf, type EnvelopeValues } from "../forms/entryDraft";
import { checkPatrol, patrolBody, patrolDefaults, type PatrolValues } from "./patrolForm";
import type { EntryDraft } from "../tauri/types";
import type { Translate } from "../i18n";
import { MAX_PATROL_DISTANCE_KM } from "../generated/limits";
export { MAX_PATROL_DISTANCE_KM };

export interface PatrolWriteUpValues extends EnvelopeValues, PatrolValues {
  /** Km as typed. */
  distanceKm: string;
  /** The findings (the frame's text field). */
  description: string;
}

export const patrolWriteUpDefaults = (): PatrolWriteUpValues => ({
  ...patrolDefaults(),
  ...blankEnvelope(),
  distanceKm: "",
  description: "",
});

function checkDistance(text: string, t: Translate): string | undefined {
  if (text.trim() === "") return t("check.distanceMissing");
  const km = parseNumber(text);
  if (km === null || km <= 0 || km > MAX_PATROL_DISTANCE_KM) return t("check.distanceRange", { max: MAX_PATROL_DISTANCE_KM });
  return undefined;
}

/** The patrol's own checks, the start and end required (their order is checked with every form's). */
export function checkPatrolWriteUp(values: PatrolWriteUpValues, t: Translate): FieldErrors {
  const { findings, ...patrol } = checkPatrol({ ...values, findings: values.description }, t);
  return {
    ...checkCoordinates(values.lat, values.lon, t),
    ...patrol,
    ...onlyProblems({
      occurred_at: values.when.trim() === "" ? t("check.patrolStartMissing") : undefined,
      ended_at: values.until.trim() === "" ? t("check.patrolEndMissing") : undefined,
      distance_km: checkDistance(values.distanceKm, t),
      description: findings,
    }),
  };
}

export function patrolWriteUpDraft(values: PatrolWriteUpValues, author: string | null): EntryDraft {
  const body = {
    ...patrolBody({ ...values, findings: values.description }),
    distance_km: parseNumber(values.distanceKm) ?? values.distanceKm,
  };
  return entryDraftOf("patrol", body, values, author);
}
