// The one way the dashboard talks to county-server (docs/county-api.md): same-origin fetch with
// the session cookie, `X-Patrol-Dashboard: 1` on every change, an `ApiErrorBody` turned into a
// `DashboardApiError` with its Chinese message, and a 401 handed to whoever sends the user back
// to the login page.
import type { ApiErrorBody, ValidationProblem } from "./types";

export const API_BASE = "/api/v1/admin";

export class DashboardApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    message: string,
    readonly problems: ValidationProblem[] = [],
  ) {
    super(message);
    this.name = "DashboardApiError";
  }
}

type UnauthorizedListener = () => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/** Called on any 401 except the login attempt itself (the session expired or was removed). */
export function onUnauthorized(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

export type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x` of the values that are set (empty strings, null and undefined left out). */
export function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** The login attempt: a 401 there is a wrong password, not an expired session. */
  quietUnauthorized?: boolean;
}

async function errorFrom(response: Response): Promise<DashboardApiError> {
  let body: Partial<ApiErrorBody> = {};
  try {
    body = (await response.json()) as Partial<ApiErrorBody>;
  } catch {
    // Not JSON (a proxy's page): the status alone speaks.
  }
  const fallbackZh = response.status >= 500 ? "县里服务器出错，请稍后再试" : `请求失败（${response.status}）`;
  return new DashboardApiError(
    response.status,
    body.error ?? `http_${response.status}`,
    body.message_zh ?? fallbackZh,
    body.message ?? `request failed (${response.status})`,
    body.problems ?? [],
  );
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET" && method !== "HEAD") headers["X-Patrol-Dashboard"] = "1";
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new DashboardApiError(0, "unreachable", "连不上县里服务器，请检查网络", "the county server cannot be reached");
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && !options.quietUnauthorized) unauthorizedListener?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const apiGet = <T>(path: string, query?: Record<string, QueryValue>) => apiRequest<T>("GET", path, { query });
export const apiPost = <T>(path: string, body?: unknown) => apiRequest<T>("POST", path, { body: body ?? {} });

/** The address of a GET route, for links and downloads (the cookie goes with them). */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  return `${API_BASE}${path}${queryString(query)}`;
}

/** What to show the user for any error: the server's Chinese message, or the English one. */
export function errorText(error: unknown, language: "zh-CN" | "en-US" = "zh-CN"): string {
  if (error instanceof DashboardApiError) return language === "zh-CN" ? error.messageZh : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
