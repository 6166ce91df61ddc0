import { describe, expect, it } from "vitest";
import { checkOutreach, outreachDefaults, outreachDraft, outreachValuesOf } from "./outreachForm";
import type { Entry } from "../tauri/types";
import { translatorFor } from "../i18n";

/** The forms' checks as a member using the app in Chinese reads them. */
const zh = translatorFor("zh-CN");

const at = "2024-03-05T10:00:00+08:00";
const filled = { ...outreachDefaults(), village: " 田蓬村 ", topic: "禁毒", audience: "120" };

describe("outreach form", () => {
  it("asks for the village, the topic and the audience", () => {
    expect(checkOutreach(outreachDefaults(), zh)).toEqual({
      village: "请填写宣传村寨",
      topic: "请填写宣传主题",
      audience: "请填写受教育人数",
    });
    expect(checkOutreach({ ...filled, village: "   " }, zh).village).toBe("请填写宣传村寨");
  });

  it("refuses a session nobody came to, and more people than the store allows", () => {
    expect(checkOutreach({ ...filled, audience: "0" }, zh)).toEqual({ audience: "受教育人数应为 1 到 100000 的整数" });
    expect(checkOutreach({ ...filled, audience: "100001" }, zh).audience).toBe("受教育人数应为 1 到 100000 的整数");
    expect(checkOutreach({ ...filled, audience: "100000" }, zh)).toEqual({});
    expect(checkOutreach({ ...filled, topic: "禁".repeat(41) }, zh).topic).toBe("太长：41 字，最多 40 字");
    expect(checkOutreach({ ...filled, description: "说".repeat(2001) }, zh).description).toBe("文字太长：2001 字，最多 2000 字");
  });

  it("makes the draft record_entry takes", () => {
    expect(outreachDraft({ ...filled, description: " 发放宣传册200份 " }, "李国华", at)).toEqual({
      kind: "outreach",
      occurred_at: at,
      author: "李国华",
      body: { village: "田蓬村", topic: "禁毒", audience: 120, description: "发放宣传册200份" },
    });
  });

  it("reads a stored session back into the form", () => {
    const stored: Entry = {
      id: "o1",
      device_id: "d",
      kind: "outreach",
      occurred_at: at,
      location: { lat: 23.6, lon: 105.6 },
      body: { village: "田蓬村", topic: "禁毒", audience: 120, description: "" },
      photos: [],
      revision: 1,
      created_at: at,
      updated_at: at,
      deleted: false,
    };
    expect(outreachValuesOf(stored)).toEqual({ ...outreachDefaults(), village: "田蓬村", topic: "禁毒", audience: "120", lat: "23.6", lon: "105.6", when: "2024-03-05 10:00" });
  });
});
