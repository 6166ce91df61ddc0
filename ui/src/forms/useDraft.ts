// Keeps a reactive form in the store as a draft: restored once on opening, saved (debounced)
// on every change, cleared after the entry is saved.
import { onBeforeUnmount, ref, watch } from "vue";
import { clearDraft, loadDraft, saveDraft } from "../tauri/commands";
import { debounce, isTouched, parseDraft, serializeDraft } from "./drafts";

export const DRAFT_DEBOUNCE_MS = 600;

export function useDraft<T extends object>(form: string, values: T, defaults: () => T, ms = DRAFT_DEBOUNCE_MS) {
  const restored = ref(false);
  const restoredFromDraft = ref(false);
  let active = false;

  // `null` drops the draft: a form emptied again has nothing worth restoring.
  const save = debounce((json: string | null) => {
    (json === null ? clearDraft(form) : saveDraft(form, json)).catch(() => {
      // A draft that cannot be kept is not worth interrupting the member for.
    });
  }, ms);

  watch(
    () => JSON.stringify(values),
    () => {
      if (!active) return;
      save(isTouched(values, defaults()) ? serializeDraft(form, values) : null);
    },
  );

  async function restore(): Promise<boolean> {
    try {
      const parsed = parseDraft(form, await loadDraft(form), defaults());
      if (parsed) {
        Object.assign(values, parsed);
        restoredFromDraft.value = true;
      }
    } catch {
      // No draft store: start empty.
    }
    restored.value = true;
    active = true;
    return restoredFromDraft.value;
  }

  async function clear(): Promise<void> {
    save.cancel();
    active = false;
    try {
      await clearDraft(form);
    } catch {
      // ignored, as for save
    }
  }

  /** Starts keeping changes again (after `clear`, for a form that stays open). */
  function resume(): void {
    active = true;
  }

  onBeforeUnmount(() => save.flush());

  return { restore, clear, resume, restored, restoredFromDraft, flush: () => save.flush() };
}
