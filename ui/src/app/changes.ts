// A counter of the entry changes this app made (record, edit, delete, patrol start/end), so a
// screen kept alive (the log) knows whether what it shows is stale when the member returns.
import { ref } from "vue";

export const entryChanges = ref(0);

export function noteEntryChange(): void {
  entryChanges.value += 1;
}
