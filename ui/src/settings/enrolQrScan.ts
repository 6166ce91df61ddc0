// The dashboard's enrolment QR code scanned in Settings, on a phone: Tauri's barcode-scanner
// plugin (registered by the shell on Android/iOS only, like the GPS) opens the back camera and
// reads one QR code. What it holds goes the way of every enrolment link
// (settings/enrolLinkIntake.ts): it fills Settings for the member to check; nothing is sent.
// On a desktop the plugin is absent and Settings offers no scan: the link is pasted instead.
import * as scanner from "@tauri-apps/plugin-barcode-scanner";
import { onPhoneApp } from "../geo/position";
import { receiveEnrolLinks } from "./enrolLinkIntake";

/** What came of a scan: a link taken, a code that is no enrolment link, or no scan at all. */
export type EnrolScanOutcome = "taken" | "not_enrol_link" | "no_camera_permission" | "cancelled" | "failed";

/** True where a scan can be offered: inside the app on a phone. */
export function enrolScanAvailable(): boolean {
  return onPhoneApp();
}

/** Whether the camera may be used, asking the member once if not yet decided. */
async function cameraAllowed(): Promise<boolean> {
  let permission = await scanner.checkPermissions();
  if (permission !== "granted") permission = await scanner.requestPermissions();
  return permission === "granted";
}

/** A rejected scan: the member backed out of the camera, or the camera failed. */
function outcomeOfRejection(error: unknown): EnrolScanOutcome {
  const text = String(error instanceof Error ? error.message : error).toLowerCase();
  return text.includes("cancel") ? "cancelled" : "failed";
}

/** Scans one QR code; an enrolment link in it waits in the intake for Settings to show. */
export async function scanEnrolQr(): Promise<EnrolScanOutcome> {
  try {
    if (!(await cameraAllowed())) return "no_camera_permission";
    const scanned = await scanner.scan({ cameraDirection: "back", formats: [scanner.Format.QRCode], windowed: false });
    return receiveEnrolLinks([scanned.content.trim()]) ? "taken" : "not_enrol_link";
  } catch (error) {
    return outcomeOfRejection(error);
  }
}
