import { describe, expect, it } from "vitest";
import { checkIncident, incidentDefaults, incidentDraft, incidentValuesOf } from "./incidentForm";
import { editedDraft } from "../forms/entryDraft";
import type { Entry } from "../tauri/types";
import { translatorFor } from "../i18n";

/** The forms' checks as a member using the app in Chinese reads them. */
const zh = translatorFor("zh-CN");

const at = "2024-03-04T21:30:00+08:00";
const filled = { ...incidentDefaults(), crimeType: "illegal_crossing", persons: "2", handedTo: " 田蓬边境派出所 ", description: " 劝返2人 " };

describe("incident form", () => {
  it("asks for the crime type and the persons before anything is sent", () => {
    expect(checkIncident(incidentDefaults(), zh)).toEqual({
      crime_type: "请选择案件类型",
      persons: "请填写涉案人数（只查获物品填 0）",
    });
  });

  it("takes 0 persons (only goods found) but not more than the store allows", () => {
    expect(checkIncident({ ...filled, persons: "0" }, zh)).toEqual({});
    expect(checkIncident({ ...filled, persons: "1000" }, zh)).toEqual({});
    expect(checkIncident({ ...filled, persons: "1001" }, zh).persons).toBe("涉案人数应为 0 到 1000 的整数");
    expect(checkIncident({ ...filled, persons: "1.5" }, zh).persons).toBe("涉案人数应为 0 到 1000 的整数");
    expect(checkIncident({ ...filled, handedTo: "派".repeat(41) }, zh).handed_to).toBe("太长：41 字，最多 40 字");
    expect(checkIncident({ ...filled, lat: "23.6" }, zh).lon).toBe("经度应在 -180 到 180 之间");
  });

  it("makes the draft record_entry takes, numbers as numbers and texts trimmed", () => {
    expect(incidentDraft({ ...filled, lat: "23.6251", lon: "105.6312", accuracy: "6" }, "王明", at)).toEqual({
      kind: "incident",
      occurred_at: at,
      location: { lat: 23.6251, lon: 105.6312, accuracy_m: 6 },
      author: "王明",
      body: { crime_type: "illegal_crossing", persons: 2, handed_to: "田蓬边境派出所", description: "劝返2人" },
    });
    expect(incidentDraft(filled, null, at).location).toBeUndefined();
    expect(incidentDraft(filled, null, at).author).toBeUndefined();
  });

  it("reads a stored incident back into the form, and an edit keeps its time and author", () => {
    const stored: Entry = {
      id: "i1",
      device_id: "d",
      kind: "incident",
      occurred_at: at,
      author: "李国华",
      body: { crime_type: "smuggling", persons: 0, handed_to: "", description: "查获冻品" },
      photos: [{ sha256: "p", role: "general" }],
      revision: 1,
      created_at: at,
      updated_at: at,
      deleted: false,
    };
    const values = incidentValuesOf(stored);
    expect(values).toMatchObject({ crimeType: "smuggling", persons: "0", description: "查获冻品", lat: "", photos: ["p"] });
    const draft = editedDraft(stored, incidentDraft({ ...values, persons: "3" }, "别人"));
    expect(draft).toMatchObject({ occurred_at: at, author: "李国华", body: { persons: 3 } });
  });
});
