// The county both dashboard test files start from: a real county-server with an admin and a
// viewer, two posts (one never in contact), and one device (the `patrol` CLI) that recorded the
// field entries of fieldData.mjs (one with a photo), a patrol with a GPS track, and 45 routine
// patrols of 2025 (more than one page of the list), then synced. Plus the admin's browser.
import assert from "node:assert/strict";
import { draftOf, recordingOrder } from "./fieldData.mjs";
import { County, checkPrerequisites, logIn, openBrowser } from "./harness.mjs";

export const ADMIN = { username: "county-admin", password: "admin-pass-2024" };
export const VIEWER = { username: "county-viewer", password: "viewer-pass-2024" };
export const POST = "田蓬联防所";
export const SILENT_POST = "木央联防所";
export const DEVICE_LABEL = "李国华的手机";
export const ROUTINE_PATROLS = 45;
export const PAGE_SIZE = 50;

export async function openFieldCounty() {
  checkPrerequisites();
  const county = new County();
  const ids = {};
  let admin = null;
  try {
    county.addAdmin(ADMIN.username, ADMIN.password, "admin");
    county.addAdmin(VIEWER.username, VIEWER.password, "viewer");
    county.addPost(POST);
    county.addPost(SILENT_POST);
    await county.start();
    const device = county.enrolDevice(POST, DEVICE_LABEL);
    const photos = { hazardFence: [device.photoFile("fence.png", [0x8a, 0x5a, 0x2b])] };
    for (const name of recordingOrder()) ids[name] = device.record(draftOf(name, ids), photos[name]);
    // A patrol with a GPS track (recorded now, so this year: on the map, not in the report).
    ids.patrolTracked = device.patrol(["track", "start", "--json", "-"], JSON.stringify({ members: ["李国华"] }));
    for (const [lat, lon] of [[23.621, 105.628], [23.624, 105.633], [23.628, 105.637], [23.633, 105.64]]) {
      device.patrol(["track", "point", "--lat", String(lat), "--lon", String(lon), "--accuracy", "5"]);
    }
    device.patrol(["track", "stop", "--json", "-"], JSON.stringify({ joint: false, members: ["李国华"], findings: "沿线巡查" }));
    const routine = Array.from({ length: ROUTINE_PATROLS }, (_, index) =>
      JSON.stringify({
        kind: "patrol",
        occurred_at: `2025-01-${String(1 + (index % 28)).padStart(2, "0")}T0${index % 10}:15:00+08:00`,
        author: "王明",
        body: { joint: false, members: ["王明"], partners: [], markers: [], findings: "", distance_km: 2 },
      }),
    );
    device
      .patrol(["record", "--jsonl", "-"], `${routine.join("\n")}\n`)
      .split(/\s+/)
      .filter(Boolean)
      .forEach((id, index) => (ids[`routine${index}`] = id));
    const synced = device.sync();
    assert.equal(synced.report.rejected, 0, JSON.stringify(synced));
    assert.equal(synced.status.pending_records, 0, JSON.stringify(synced));
    admin = await openBrowser();
    return new FieldCounty(county, device, ids, admin);
  } catch (error) {
    await admin?.close();
    await county.stop();
    throw error;
  }
}

class FieldCounty {
  constructor(county, device, ids, admin) {
    this.county = county;
    this.device = device;
    this.ids = ids;
    this.admin = admin;
  }

  /** Every entry as the device has it now (`patrol list`, then `patrol show` of each). */
  deviceDocuments() {
    const listed = JSON.parse(this.device.patrol(["list", "--json", "--limit", "500", "--include-deleted"]));
    assert.equal(listed.next_cursor ?? null, null, "one page holds the device's log");
    return listed.entries.map((entry) => this.device.show(entry.id));
  }

  /** The admin's page, logged in (so each test can also run alone, with --test-name-pattern). */
  async adminPage() {
    const { page } = this.admin;
    const session = await page.request.get(`${this.county.url}/api/v1/admin/session`);
    if (session.status() !== 200) await logIn(page, this.county.url, ADMIN.username, ADMIN.password);
    return page;
  }

  /** GET of an admin route with the page's session; asserts a 200 and returns the JSON. */
  async apiJson(page, path) {
    const response = await page.request.get(`${this.county.url}/api/v1/admin${path}`);
    assert.equal(response.status(), 200, `${path}: ${await response.text()}`);
    return response.json();
  }

  async close() {
    await this.admin.close();
    await this.county.stop();
  }
}
