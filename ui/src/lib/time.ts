// Local time as the store wants it: RFC 3339 with the device's own offset
// ("2024-03-02T08:10:00+08:00"), so an entry keeps the wall clock it was recorded at.

function pad(n: number, width = 2): string {
  return String(Math.trunc(Math.abs(n))).padStart(width, "0");
}

/** RFC 3339 text of `at` in the device's zone, seconds precision. */
export function toLocalRfc3339(at: Date = new Date()): string {
  const offset = -at.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/** "10:42" for an instant today, "11-28 10:42" for another day of this year, else the date. */
export function shortClock(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  if (at.toDateString() === now.toDateString()) return clock;
  if (at.getFullYear() === now.getFullYear()) return `${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${clock}`;
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Today's date in the device's zone as YYYY-MM-DD. */
export function localDate(at: Date = new Date()): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** "2024-03-02 09:00": a form's wall time of `at`, in the device's zone. */
export function wallTimeOf(at: Date): string {
  return `${localDate(at)} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
