// The repair form's values, its own checks and the draft `record_entry` receives.
import { checkCoordinates, parseNumber, type FieldErrors } from "../forms/problems";
import { checkLongText } from "../forms/entryChecks";
import { blankEnvelope, entryDraftOf, envelopeValuesOf, type EnvelopeValues } from "../forms/entryDraft";
import { unitsFor } from "../app/vocab";
import type { Entry, EntryDraft, PhotoAttachment } from "../tauri/types";
import type { Translate } from "../i18n";
import { MAX_REPAIR_QUANTITY } from "../generated/limits";
export { MAX_REPAIR_QUANTITY };

export interface RepairValues extends EnvelopeValues {
  category: string;
  quantity: string;
  unit: string;
  closesHazard: string;
  description: string;
  before: string[];
  after: string[];
}

export const repairDefaults = (): RepairValues => ({
  category: "",
  quantity: "",
  unit: "",
  closesHazard: "",
  description: "",
  ...blankEnvelope(),
  before: [],
  after: [],
});

export function checkRepair(values: RepairValues, t: Translate): FieldErrors {
  const errors: FieldErrors = { ...checkCoordinates(values.lat, values.lon, t) };
  if (!values.category) errors.category = t("check.repairCategory");
  const quantity = parseNumber(values.quantity);
  if (quantity === null) errors.quantity = t("check.quantityMissing");
  else if (quantity <= 0) errors.quantity = t("check.quantityNotPositive");
  else if (quantity > MAX_REPAIR_QUANTITY) errors.quantity = t("check.quantityTooLarge", { max: MAX_REPAIR_QUANTITY });
  else if (values.unit === "count" && !Number.isInteger(quantity)) errors.quantity = t("check.quantityNotWhole");
  if (values.category && !unitsFor(values.category).includes(values.unit as never)) {
    errors.unit = t("check.unitMissing");
  }
  const description = checkLongText(values.description, t);
  if (description) errors.description = description;
  return errors;
}

export function repairDraft(values: RepairValues, author: string | null, occurredAt?: string): EntryDraft {
  const body: Record<string, unknown> = {
    category: values.category,
    quantity: parseNumber(values.quantity) ?? values.quantity,
    unit: values.unit,
    description: values.description.trim(),
  };
  if (values.closesHazard) body.closes_hazard = values.closesHazard;
  return entryDraftOf("repair", body, values, author, occurredAt);
}

export function repairPhotos(values: RepairValues): PhotoAttachment[] {
  return [
    ...values.before.map((sha256) => ({ sha256, role: "before" as const })),
    ...values.after.map((sha256) => ({ sha256, role: "after" as const })),
  ];
}

/** A photo taken for the wrong side moves to the other (`to`), at the end of its list. */
export function moveRepairPhoto(values: RepairValues, sha256: string, to: "before" | "after"): void {
  const from = to === "after" ? "before" : "after";
  if (!values[from].includes(sha256)) return;
  values[from] = values[from].filter((sha) => sha !== sha256);
  if (!values[to].includes(sha256)) values[to] = [...values[to], sha256];
}

export function repairValuesOf(entry: Entry): RepairValues {
  const body = entry.body as Partial<{
    category: string;
    quantity: number;
    unit: string;
    closes_hazard: string;
    description: string;
  }>;
  return {
    category: body.category ?? "",
    quantity: body.quantity !== undefined ? String(body.quantity) : "",
    unit: body.unit ?? "",
    closesHazard: body.closes_hazard ?? "",
    description: body.description ?? "",
    ...envelopeValuesOf(entry),
    before: entry.photos.filter((p) => p.role === "before").map((p) => p.sha256),
    after: entry.photos.filter((p) => p.role !== "before").map((p) => p.sha256),
  };
}
