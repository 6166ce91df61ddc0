// The life of an entry form, shared by the hazard, repair, incident, outreach and activity
// screens (whose common fields and save button are components/EntryFormFrame.vue): with an `id`
// it loads that entry to edit, restores the form's draft, and on save checks the values, records
// (or edits, photos included) the entry, drops the draft and goes on — or puts every problem on its field and
// scrolls to the first; a problem goes as soon as its field is changed.
import { computed, reactive, ref, shallowRef, watch } from "vue";
import { useI18n } from "vue-i18n";
import { useRouter } from "vue-router";
import { showToast } from "vant";
import { editEntry, getEntry, recordEntry, toAppError } from "../tauri/commands";
import type { Entry, EntryDraft, PhotoAttachment } from "../tauri/types";
import { checkUntil, checkWhen, duringPatrol, editedDraft, type EnvelopeValues } from "./entryDraft";
import { errorToFieldErrors, type FieldErrors } from "./problems";
import { changedValueKeys, revealFirstProblem, withoutSettled } from "./revealProblem";
import { useDraft } from "./useDraft";
import { currentLocale, type Translate } from "../i18n";
import { currentMember } from "../app/session";
import { refreshSyncStatus } from "../sync/syncState";
import { trackRecorder } from "../patrol/trackRecorder";

export interface EntryFormKind<V extends EnvelopeValues> {
  /** The draft's name for a new entry (`hazard`, `repair`); an edit's is `edit.<id>`. */
  form: string;
  defaults: () => V;
  valuesOf: (entry: Entry) => V;
  /** The kind's own checks, their texts through `t` (the member's language). */
  check: (values: V, t: Translate) => FieldErrors;
  draftOf: (values: V, author: string | null) => EntryDraft;
  photosOf: (values: V) => PhotoAttachment[];
  /** The toast after a new entry is recorded (an i18n key). */
  savedKey: string;
}

export function useEntryForm<V extends EnvelopeValues>(kind: EntryFormKind<V>, id: string | undefined) {
  const { t } = useI18n();
  const router = useRouter();
  let base = kind.defaults();
  const values = reactive(kind.defaults()) as V;
  const draft = useDraft(id ? `edit.${id}` : kind.form, values, () => base);
  const entry = shallowRef<Entry | null>(null);
  const errors = ref<FieldErrors>({});
  const busy = ref(false);
  const ready = ref(false);
  // A problem goes as soon as its field is changed.
  watch(
    () => JSON.parse(JSON.stringify(values)) as Record<string, unknown>,
    (now, before) => {
      errors.value = withoutSettled(errors.value, changedValueKeys(now, before));
    },
  );

  /** Loads the entry to edit (if any) and the draft; `false` when the entry cannot be read. */
  async function open(): Promise<boolean> {
    if (id) {
      try {
        entry.value = await getEntry(id);
        base = kind.valuesOf(entry.value);
        Object.assign(values, base);
      } catch (thrown) {
        errors.value = { form: toAppError(thrown).message };
        return false;
      }
    }
    await draft.restore();
    ready.value = true;
    return true;
  }

  async function save(): Promise<void> {
    errors.value = { ...checkWhen(values.when, t), ...checkUntil(values, t), ...kind.check(values, t) };
    if (Object.keys(errors.value).length > 0) {
      // No toast: it would cover the problem; the frame says so above Save.
      void revealFirstProblem();
      return;
    }
    busy.value = true;
    try {
      const fresh = kind.draftOf(values, currentMember());
      const editing = entry.value;
      if (editing) await editEntry(editing.id, editedDraft(editing, fresh), kind.photosOf(values));
      else await recordEntry(duringPatrol(fresh, trackRecorder.patrol?.id), kind.photosOf(values));
      await draft.clear();
      showToast(editing ? t("common.saved") : t(kind.savedKey));
      void refreshSyncStatus();
      await router.replace(editing ? `/entry/${editing.id}` : "/");
    } catch (thrown) {
      errors.value = errorToFieldErrors(toAppError(thrown), currentLocale() === "en-US");
      void revealFirstProblem();
    } finally {
      busy.value = false;
    }
  }

  /** The running patrol a new entry will belong to, or null. */
  const duringPatrolId = computed(() => (id ? null : (trackRecorder.patrol?.id ?? null)));

  return { values, draft, entry, errors, busy, ready, editing: !!id, duringPatrolId, open, save };
}

/** A form as `useEntryForm` returns it. */
export type EntryForm<V extends EnvelopeValues> = ReturnType<typeof useEntryForm<V>>;
