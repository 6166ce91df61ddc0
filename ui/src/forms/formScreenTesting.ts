// What the entry-form screens' tests (hazard, repair, incident, outreach, activity) share: a
// fake GPS and the member using the phone for each test, the commands a form calls, a stored
// entry to edit, and pressing 保存. Imported by tests only.
import { afterAll, afterEach, beforeEach } from "vitest";
import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { baseSettings, fakeGeolocation, mockCommands } from "../test/tauri";
import { session } from "../app/session";
import type { Entry } from "../tauri/types";

/**
 * Before each test of the file: a fake GPS (fed through the returned `fix` and `fail`) and
 * `member` using the phone (李国华 unless told; null for nobody). After the file, a second for
 * what is still pending.
 */
export function formScreenSetup(member: string | null = baseSettings.current_member ?? null) {
  let geo: ReturnType<typeof fakeGeolocation>;
  afterAll(() => new Promise((resolve) => setTimeout(resolve, 1000)));
  beforeEach(() => {
    geo = fakeGeolocation();
    session.settings = { ...baseSettings, current_member: member ?? undefined };
  });
  afterEach(() => geo.remove());
  return {
    fix: (lat: number, lon: number, accuracy?: number) => geo.fix(lat, lon, accuracy),
    fail: () => geo.fail(),
  };
}

/** An entry as `get_entry` returns it: no photos, revision 1, unless told. */
/**
 * A stored entry for a test: what the test names, the rest as the store writes it. The body may
 * be partial (hence the cast): a screen under test reads only the fields the test gives.
 */
export function storedEntry(
  entry: { id: string; kind: Entry["kind"]; occurred_at: string; body: object } & Partial<Omit<Entry, "kind" | "body">>,
): Entry {
  return { device_id: "d", photos: [], revision: 1, created_at: "", updated_at: "", deleted: false, ...entry } as Entry;
}

/**
 * The commands a form calls: no draft kept, `record_entry` answering `recorded`, the sync
 * status refreshed after; `extra` adds commands or replaces these.
 */
export function mockFormCommands(recorded: unknown, extra: Record<string, unknown> = {}): void {
  mockCommands({
    load_draft: null,
    save_draft: null,
    clear_draft: null,
    record_entry: recorded,
    sync_status: { pending_records: 1, pending_photo_bytes: 0, rejected: [], syncing: false, online: null },
    ...extra,
  });
}

/** Presses 保存 and waits for what it sets off. */
export async function pressSave(wrapper: VueWrapper): Promise<void> {
  await wrapper.find('[data-test="form-save"]').trigger("click");
  await flushPromises();
}
