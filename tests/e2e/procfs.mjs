// What the benchmarks read of processes from /proc: the app process under tauri-driver, when it
// started, and the memory (RSS and PSS) of the app and every process it spawned (WebKit's web
// and network processes). Shared by bench-app.mjs and bench-journeys.mjs.
import { spawnSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { descendants } from "./harness.mjs";

function comm(pid) {
  return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
}

/** The app process under the tauri-driver `driverPid`, found by its executable (never by name). */
export function appProcessUnder(driverPid, application) {
  return descendants(driverPid).find((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, "") === application;
    } catch {
      return false;
    }
  });
}

/** Seconds since boot now (/proc/uptime, the clock /proc/<pid>/stat's start time counts in). */
export function uptimeSeconds() {
  return Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
}

/** When `pid` started, in seconds since boot (clock ticks in /proc/<pid>/stat: 10 ms steps). */
export function processStartedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const startTicks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  return startTicks / ticksPerSecond;
}

/** kB of `field` in a /proc file of `key: value kB` lines, or null. */
function procKb(path, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(path, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** RSS and PSS (MiB) of the app and each of its descendants (WebKit's web and network processes…). */
export function memoryOf(appPid) {
  const processes = [appPid, ...descendants(appPid)].map((pid) => {
    let name;
    try {
      name = pid === appPid ? "patrol-log" : comm(pid);
    } catch {
      return null;
    }
    const rss = procKb(`/proc/${pid}/status`, "VmRSS");
    const pss = procKb(`/proc/${pid}/smaps_rollup`, "Pss");
    return { pid, name, rssMiB: rss === null ? null : rss / 1024, pssMiB: pss === null ? null : pss / 1024 };
  });
  const found = processes.filter((p) => p && p.rssMiB !== null);
  const sum = (key) => (found.every((p) => p[key] !== null) ? found.reduce((total, p) => total + p[key], 0) : null);
  return { processes: found, totalRssMiB: sum("rssMiB"), totalPssMiB: sum("pssMiB") };
}
