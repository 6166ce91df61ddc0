import { describe, expect, it } from "vitest";
import { ACTIVITY_TYPES, activityDefaults, activityDraft, activityValuesOf, checkActivity } from "./activityForm";
import { zhCN } from "../i18n/messages";
import type { Entry } from "../tauri/types";
import { translatorFor } from "../i18n";

/** The forms' checks as a member using the app in Chinese reads them. */
const zh = translatorFor("zh-CN");

const at = "2024-03-06T15:00:00+08:00";
const filled = { ...activityDefaults(), activityType: "drill", attendees: "12", topic: " 突发事件处置演练 " };

describe("activity form", () => {
  it("asks for the kind of activity and how many took part", () => {
    expect(checkActivity(activityDefaults(), zh)).toEqual({ activity_type: "请选择活动类型", attendees: "请填写参加人数" });
  });

  it("checks the attendees like the store", () => {
    expect(checkActivity({ ...filled, attendees: "0" }, zh).attendees).toBe("参加人数应为 1 到 10000 的整数");
    expect(checkActivity({ ...filled, attendees: "10001" }, zh).attendees).toBe("参加人数应为 1 到 10000 的整数");
    expect(checkActivity(filled, zh)).toEqual({});
  });

  it("makes the draft record_entry takes", () => {
    expect(activityDraft(filled, null, at)).toEqual({
      kind: "activity",
      occurred_at: at,
      body: { activity_type: "drill", attendees: 12, topic: "突发事件处置演练", description: "" },
    });
  });

  it("offers the seven activity types of patrol-model, each with its Chinese name", () => {
    expect(ACTIVITY_TYPES.map((type) => zhCN.vocab.activityType[type])).toEqual([
      "技能培训",
      "战术演练",
      "军地联席会议",
      "季度边境管控推进会",
      "集中学习日",
      "主题党日",
      "环境卫生整治",
    ]);
  });

  it("reads a stored activity back into the form", () => {
    const stored: Entry = {
      id: "a1",
      device_id: "d",
      kind: "activity",
      occurred_at: at,
      body: { activity_type: "clean_up", attendees: 30, topic: "", description: "清理村道垃圾" },
      photos: [],
      revision: 1,
      created_at: at,
      updated_at: at,
      deleted: false,
    };
    expect(activityValuesOf(stored)).toMatchObject({ activityType: "clean_up", attendees: "30", description: "清理村道垃圾" });
  });
});
