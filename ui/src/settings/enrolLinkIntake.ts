// Enrolment links reaching the app: a `patrollog://enrol?...` link opened on the phone (the
// dashboard's QR code scanned by the camera, or the link tapped in a message) through Tauri's
// deep-link plugin — at start (`getCurrent`) or while running (`onOpenUrl`) — or pasted into
// Settings. The link waits here until Settings shows it to the member, who checks the address
// and taps 登记: nothing is sent on a link alone.
import { reactive } from "vue";
import { parseEnrolLink, type EnrolLink } from "./settingsForm";

export const enrolLinkIntake = reactive<{ pending: EnrolLink | null }>({ pending: null });

/** Takes the first enrolment link among `urls`; true when one was taken. */
export function receiveEnrolLinks(urls: readonly string[] | null | undefined): boolean {
  for (const url of urls ?? []) {
    const link = parseEnrolLink(url);
    if (link) {
      enrolLinkIntake.pending = link;
      return true;
    }
  }
  return false;
}

/** The waiting link, handed over once. */
export function takeEnrolLink(): EnrolLink | null {
  const link = enrolLinkIntake.pending;
  enrolLinkIntake.pending = null;
  return link;
}

/**
 * Listens for links through the deep-link plugin inside the app (absent in a plain browser or
 * a test: then nothing happens); `onLink` is told when one arrives.
 */
export async function listenForEnrolLinks(onLink: () => void): Promise<void> {
  if (typeof window === "undefined" || !("__TAURI_INTERNALS__" in window)) return;
  try {
    const deepLink = await import("@tauri-apps/plugin-deep-link");
    if (receiveEnrolLinks(await deepLink.getCurrent())) onLink();
    await deepLink.onOpenUrl((urls) => {
      if (receiveEnrolLinks(urls)) onLink();
    });
  } catch (error) {
    console.warn(`deep links unavailable: ${String(error)}`);
  }
}
