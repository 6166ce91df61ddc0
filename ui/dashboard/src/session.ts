// Who is logged in to the dashboard (asked of the server once, then kept until logout or a
// 401). The role decides which change buttons a page shows; the server refuses a viewer anyway.
import { computed, ref } from "vue";
import { countyApi } from "./api/routes";
import type { SessionAnswer } from "./api/types";

const current = ref<SessionAnswer | null>(null);
let checked = false;

export const session = {
  user: computed(() => current.value),
  isAdmin: computed(() => current.value?.role === "admin"),
};

/** The session as the server sees it, asked once per page load. */
export async function ensureSession(): Promise<SessionAnswer | null> {
  if (checked) return current.value;
  try {
    current.value = await countyApi.currentSession();
  } catch {
    current.value = null;
  }
  checked = true;
  return current.value;
}

export function rememberSession(info: SessionAnswer): void {
  current.value = info;
  checked = true;
}

/** Forgets the session here (after logout, or when the server answered 401). */
export function forgetSession(): void {
  current.value = null;
  checked = true;
}
