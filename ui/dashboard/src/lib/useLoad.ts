// One read of the API for a page: its data, whether it is loading, and the error to show
// (the server's Chinese message) with a way to try again.
import { ref, shallowRef, type Ref, type ShallowRef } from "vue";
import { errorText } from "../api/client";
import { currentLocale } from "../i18n";

export interface Loaded<T> {
  data: ShallowRef<T | null>;
  loading: Ref<boolean>;
  error: Ref<string>;
  reload: () => Promise<void>;
}

export function useLoad<T>(read: () => Promise<T>): Loaded<T> {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref("");
  let generation = 0;
  async function reload(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    error.value = "";
    try {
      const value = await read();
      if (mine === generation) data.value = value;
    } catch (failure) {
      if (mine === generation) error.value = errorText(failure, currentLocale());
    } finally {
      if (mine === generation) loading.value = false;
    }
  }
  return { data, loading, error, reload };
}
