import { afterAll, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import PatrolEditScreen from "./PatrolEditScreen.vue";
import { baseSettings, callsOf, mockCommands, mountAt } from "../test/tauri";
import { session } from "../app/session";
import type { Entry } from "../tauri/types";

afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));

const ended: Entry = {
  id: "p1",
  device_id: "d",
  kind: "patrol",
  occurred_at: "2024-03-02T08:10:00+08:00",
  ended_at: "2024-03-02T11:40:00+08:00",
  author: "李国华",
  body: { joint: true, members: ["李国华"], partners: [{ unit: "army", count: 3 }], markers: ["123"], findings: "", distance_km: 7.2 },
  photos: [],
  status: "ended",
  revision: 2,
  created_at: "",
  updated_at: "",
  deleted: false,
};

describe("editing a patrol", () => {
  it("keeps its times, author and track distance and sends the edited details", async () => {
    session.settings = { ...baseSettings };
    mockCommands({ get_entry: ended, edit_entry: ended, sync_status: {} });
    const { wrapper, router } = await mountAt(PatrolEditScreen, "/patrol/p1/edit", { id: "p1" });
    expect(wrapper.find('[data-test="patrol-member-李国华"]').attributes("aria-pressed")).toBe("true");
    expect((wrapper.find('[data-test="partner-count-0"] input').element as HTMLInputElement).value).toBe("3");
    await wrapper.find('[data-test="patrol-member-王明"]').trigger("click");
    await wrapper.find('[data-test="patrol-findings"] textarea').setValue("无异常");
    await wrapper.find('[data-test="form-save"]').trigger("click");
    await flushPromises();
    expect(callsOf("edit_entry")).toEqual([
      {
        id: "p1",
        draft: {
          kind: "patrol",
          occurred_at: "2024-03-02T08:10:00+08:00",
          ended_at: "2024-03-02T11:40:00+08:00",
          author: "李国华",
          body: {
            joint: true,
            members: ["李国华", "王明"],
            partners: [{ unit: "army", count: 3 }],
            markers: ["123"],
            findings: "无异常",
            distance_km: 7.2,
          },
        },
      },
    ]);
    expect(router.currentRoute.value.path).toBe("/entry/p1");
    wrapper.unmount();
  });
});
