// A patrol's details (members, partner units, markers, findings) and the body sent when it
// starts, ends or is edited.
import { parseNumber, type FieldErrors } from "../forms/problems";
import { checkLongText } from "../forms/entryChecks";
import type { Entry, EntryDraft, PatrolBody } from "../tauri/types";
import type { Translate } from "../i18n";
import type { PartnerUnit } from "../generated/vocabularies";
import { MAX_PARTNER_COUNT } from "../generated/limits";
export { MAX_PARTNER_COUNT };

export interface PartnerValue {
  unit: PartnerUnit;
  count: string;
}

export interface PatrolValues {
  members: string[];
  partners: PartnerValue[];
  markers: string;
  findings: string;
}

export const patrolDefaults = (): PatrolValues => ({ members: [], partners: [], markers: "", findings: "" });

/** "123, 124 125、126" → ["123", "124", "125", "126"] (a leading 界碑 is dropped). */
export function splitMarkers(text: string): string[] {
  return text
    .split(/[,，、;；\s]+/)
    .map((m) => m.trim().replace(/^界碑/, ""))
    .filter((m) => m !== "");
}

/** The partner units' problems (each said once, for all of them) and the findings' length. */
export function checkPatrol(values: PatrolValues, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  const problems: string[] = [];
  values.partners.forEach((partner) => {
    if (!partner.unit) problems.push(t("check.partnerUnit"));
    const count = parseNumber(partner.count);
    if (count === null || !Number.isInteger(count) || count < 1 || count > MAX_PARTNER_COUNT) {
      problems.push(t("check.wholeNumber", { label: t("patrol.count"), min: 1, max: MAX_PARTNER_COUNT }));
    }
  });
  if (problems.length > 0) errors.partners = [...new Set(problems)].join(t("check.separator"));
  const findings = checkLongText(values.findings, t);
  if (findings) errors.findings = findings;
  return errors;
}

export function patrolBody(values: PatrolValues): PatrolBody {
  const partners = values.partners.map((p) => ({ unit: p.unit, count: parseNumber(p.count) ?? 0 }));
  return {
    joint: partners.length > 0,
    members: [...values.members],
    partners,
    markers: splitMarkers(values.markers),
    findings: values.findings.trim(),
  };
}

export function patrolValuesOf(entry: Entry): PatrolValues {
  const body = entry.body as Partial<PatrolBody>;
  return {
    members: [...(body.members ?? [])],
    partners: (body.partners ?? []).map((p) => ({ unit: p.unit, count: String(p.count) })),
    markers: (body.markers ?? []).join(", "),
    findings: body.findings ?? "",
  };
}

/** Milliseconds a patrol has run, from its start text to `now`. */
export function elapsedMs(startedAt: string, now: number = Date.now()): number {
  const start = Date.parse(startedAt);
  return Number.isNaN(start) ? 0 : Math.max(0, now - start);
}

/** A fix is worth a track point when it is the first, 5 s after the last, or 5 m away. */
export function worthRecording(
  last: { lat: number; lon: number; at: number } | null,
  fix: { lat: number; lon: number; at: number },
): boolean {
  if (!last) return true;
  if (fix.at - last.at >= 5_000) return true;
  return haversineM(last.lat, last.lon, fix.lat, fix.lon) >= 5;
}

export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dPhi = (lat2 - lat1) * rad;
  const dLambda = (lon2 - lon1) * rad;
  const a = Math.sin(dPhi / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLambda / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

/**
 * The stored entry's envelope with the edited body (times, distance and the rest kept). The
 * packed GPS track is the recorder's: it is not sent back (the store keeps it).
 */
export function editedPatrolDraft(stored: Entry, body: PatrolBody): EntryDraft {
  const { track: _recordedTrack, ...storedBody } = stored.body as Record<string, unknown>;
  const draft: EntryDraft = { kind: "patrol", occurred_at: stored.occurred_at, body: { ...storedBody, ...body } };
  if (stored.ended_at) draft.ended_at = stored.ended_at;
  if (stored.location) draft.location = stored.location;
  if (stored.author) draft.author = stored.author;
  return draft;
}
