// The current time, refreshed every 30 s while a page shows "3 小时前".
import { onMounted, onUnmounted, ref } from "vue";

export function useNow(everyMs = 30_000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), everyMs);
  });
  onUnmounted(() => clearInterval(timer));
  return now;
}
