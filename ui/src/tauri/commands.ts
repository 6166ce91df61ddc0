// Typed wrappers of the Tauri commands. Errors arrive as the shell's AppError `{kind, message}`.
import { invoke } from "@tauri-apps/api/core";
import type { EntryListQuery, EntryPage } from "../log/entry";

export interface AppError {
  kind: string;
  message: string;
}

/** Normalises whatever a failed invoke threw into an AppError. */
export function toAppError(thrown: unknown): AppError {
  if (typeof thrown === "object" && thrown !== null && "kind" in thrown && "message" in thrown) {
    const { kind, message } = thrown as { kind: unknown; message: unknown };
    return { kind: String(kind), message: String(message) };
  }
  if (thrown instanceof Error) return { kind: "ui", message: thrown.message };
  return { kind: "ui", message: String(thrown) };
}

export async function listEntries(query: EntryListQuery = {}): Promise<EntryPage> {
  try {
    return await invoke<EntryPage>("list_entries", { query });
  } catch (thrown) {
    throw toAppError(thrown);
  }
}
