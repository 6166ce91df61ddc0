// Harness for end-to-end tests of the real app window: a temp data home per run, entries
// recorded with the `patrol` CLI into the store the app will open, tauri-driver started and
// ended by its PID, a WebDriver session on the built app. Run under Xvfb (scripts/test.sh).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { Builder } from "selenium-webdriver";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const appIdentifier = "cn.patrollog.field";
const targetDir = process.env.CARGO_TARGET_DIR ?? join(repoRoot, "target");
export const appBinary = join(targetDir, "debug", "patrol-log");
export const cliBinary = join(targetDir, "debug", "patrol");
export const artifactsDir = join(repoRoot, "test-artifacts");

// The driver's ports are free ones picked when it starts, so another tauri-driver on this
// machine (a second test run, a benchmark) is never mistaken for ours.
let driverUrl = null;

/** A TCP port nothing listens on right now. */
async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** A fresh XDG_DATA_HOME; the app's store is `<it>/cn.patrollog.field`. */
export function makeDataHome() {
  const dataHome = mkdtempSync(join(tmpdir(), "patrol-log-e2e-"));
  return { dataHome, dataDir: join(dataHome, appIdentifier) };
}

/** Records one entry with `patrol record <kind> --json -`; returns the id the CLI prints. */
export function recordWithCli(dataDir, kind, entry) {
  const result = spawnSync(cliBinary, ["--data-dir", dataDir, "record", kind, "--json", "-"], {
    input: JSON.stringify(entry),
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`patrol record ${kind} exited ${result.status}: ${result.stderr}${result.stdout}`);
  }
  return result.stdout.trim();
}

async function sleep(ms) {
  await new Promise((done) => setTimeout(done, ms));
}

async function waitForDriver(driverProcess, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  while (Date.now() < deadline) {
    if (driverProcess.exitCode !== null) {
      throw new Error(`tauri-driver exited early with code ${driverProcess.exitCode}`);
    }
    try {
      const response = await fetch(`${driverUrl}/status`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
      lastError = new Error(`status ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await sleep(200);
  }
  throw new Error(`tauri-driver not ready on ${driverUrl} after ${timeoutMs} ms: ${lastError}`);
}

/**
 * Starts tauri-driver with `env` (the app inherits it through WebKitWebDriver) and waits for
 * it. Returns `stop()`, which ends it by its PID and waits for it to go.
 */
export async function startTauriDriver(env, application = appBinary) {
  if (!existsSync(application)) throw new Error(`no app binary at ${application}: run cargo build first`);
  const driverPort = await freePort();
  let nativePort = await freePort();
  while (nativePort === driverPort) nativePort = await freePort();
  driverUrl = `http://127.0.0.1:${driverPort}`;
  const driverProcess = spawn(
    "tauri-driver",
    ["--port", String(driverPort), "--native-port", String(nativePort)],
    { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"], detached: true },
  );
  const exited = new Promise((done) => driverProcess.once("exit", done));
  const failedToSpawn = new Promise((_, fail) => driverProcess.once("error", fail));

  async function stop() {
    if (driverProcess.exitCode !== null || driverProcess.signalCode !== null) return;
    const pid = driverProcess.pid;
    // The driver leads its own process group: WebKitWebDriver and the app go with it.
    for (const signal of ["SIGTERM", "SIGKILL"]) {
      try {
        process.kill(-pid, signal);
      } catch {
        try {
          process.kill(pid, signal);
        } catch {
          return;
        }
      }
      const gone = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (gone) return;
    }
  }

  try {
    await Promise.race([waitForDriver(driverProcess, 30_000), failedToSpawn]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: driverProcess.pid, stop };
}

/**
 * A WebDriver session on the built app (tauri-driver starts it); `application` for another
 * build, `args` for its command line (a `patrollog://` link, as the desktop opens one).
 */
export async function openApp(application = appBinary, args = []) {
  if (!driverUrl) throw new Error("start tauri-driver (startTauriDriver) before opening the app");
  return new Builder()
    .usingServer(`${driverUrl}/`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application, args } })
    .build();
}

export async function saveScreenshot(driver, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, name);
  writeFileSync(path, Buffer.from(await driver.takeScreenshot(), "base64"));
  return path;
}

export function removeDataHome(dataHome) {
  rmSync(dataHome, { recursive: true, force: true });
}

export const countyServerBinary = join(targetDir, "debug", "county-server");

/**
 * Runs `county-server --database <db> <args...>` to completion (with `input` on its stdin);
 * returns its trimmed stdout.
 */
export function countyAdmin(database, args, input = "") {
  const result = spawnSync(countyServerBinary, ["--database", database, ...args], { encoding: "utf8", timeout: 60_000, input });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`county-server ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * Starts a real county server (on a free port unless `listen` says which) with its own database
 * and data dir in `dir` (a second start on the same dir is the same server again); resolves
 * to `{ url, stop }` once it prints `listening on http://...`. `stop()` ends it by its PID.
 */
export async function startCountyServer(dir, listen = "127.0.0.1:0") {
  const database = join(dir, "county.sqlite3");
  const child = spawn(
    countyServerBinary,
    ["--database", database, "serve", "--listen", listen, "--data-dir", join(dir, "data")],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`county-server did not start: ${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ""));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`county-server exited ${code}: ${output}`));
    });
  });
  const exited = new Promise((done) => child.once("exit", done));
  return {
    url,
    database,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** The PIDs of every descendant of `pid` (from /proc), nearest first. */
export function descendants(pid) {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // "pid (comm) state ppid ..." — comm may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * SIGKILLs the app process started under the tauri-driver whose PID is `driverPid` (found by
 * its executable among that driver's descendants, never by name) — a phone killing the app.
 * Returns the PID killed.
 */
export async function killAppUnder(driverPid) {
  const app = descendants(driverPid).find((pid) => {
    try {
      // " (deleted)" when the binary was rebuilt while the app ran
      return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, "") === appBinary;
    } catch {
      return false;
    }
  });
  if (!app) throw new Error(`no ${appBinary} process under tauri-driver ${driverPid}`);
  process.kill(app, "SIGKILL");
  const deadline = Date.now() + 10_000;
  while (existsSync(`/proc/${app}`) && Date.now() < deadline) {
    // a killed child stays a zombie until WebKitWebDriver reaps it; the state says so
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${app}/stat`, "utf8"))) break;
    } catch {
      break;
    }
    await sleep(100);
  }
  return app;
}

/** Writes a small real PNG (a gradient, `width`×`height`) for photo tests; returns its path. */
export function writeTestPng(path, width = 96, height = 64) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = (x * 255) / width;
      row[2 + x * 3] = (y * 255) / height;
      row[3 + x * 3] = 120;
    }
    rows.push(row);
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  writeFileSync(path, png);
  return path;
}

/**
 * The county office deciding on entries through the real admin API, as the dashboard does: adds
 * the admin `username` to the server's database, logs in, and returns `review(entryId,
 * decision, comment)` (resolving to the API's answer, the entry with its review) and
 * `entry(entryId)` and `photoStatus(postId, sha256, variant)`.
 */
export async function countyReviewer(county, username) {
  const password = "审核 e2e 2024";
  countyAdmin(county.database, ["admin", "add", username], `${password}\n`);
  const login = await fetch(`${county.url}/api/v1/admin/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Patrol-Dashboard": "1" },
    body: JSON.stringify({ username, password }),
  });
  if (login.status !== 200) throw new Error(`admin login: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get("set-cookie").split(";")[0];
  return {
    /** The entry as the dashboard gets it: `{entry, summary, history, photos, ...}`. */
    async entry(entryId) {
      const answer = await fetch(`${county.url}/api/v1/admin/entries/${entryId}`, { headers: { Cookie: cookie } });
      if (answer.status !== 200) throw new Error(`entry ${entryId}: ${answer.status} ${await answer.text()}`);
      return answer.json();
    },
    /** The HTTP status of a post's photo variant (`original`, `thumbnail`) at the county. */
    async photoStatus(postId, sha256, variant) {
      const answer = await fetch(`${county.url}/api/v1/admin/posts/${postId}/photos/${sha256}/${variant}`, { headers: { Cookie: cookie } });
      await answer.arrayBuffer();
      return answer.status;
    },
    async review(entryId, decision, comment) {
      const answer = await fetch(`${county.url}/api/v1/admin/entries/${entryId}/review`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Patrol-Dashboard": "1", Cookie: cookie },
        body: JSON.stringify({ decision, comment }),
      });
      if (answer.status !== 200) throw new Error(`review ${entryId}: ${answer.status} ${await answer.text()}`);
      return answer.json();
    },
  };
}

/**
 * A phone for one test file: tauri-driver on `home` (a fresh data home unless given) and the
 * app window at 360×640, opened with `args`. `closePhone` ends it.
 */
export async function openPhone({ home = makeDataHome(), args = [] } = {}) {
  const tauriDriver = await startTauriDriver({ XDG_DATA_HOME: home.dataHome });
  const driver = await openApp(appBinary, args);
  await driver.manage().window().setRect({ width: 360, height: 640 });
  return { home, tauriDriver, driver };
}

/** Ends what `openPhone` started: the window, tauri-driver, and the data home. */
export async function closePhone(phone) {
  if (!phone) return;
  try {
    if (phone.driver) await phone.driver.quit();
  } catch (error) {
    console.error(`closing the WebDriver session: ${error}`);
  } finally {
    if (phone.tauriDriver) await phone.tauriDriver.stop();
    if (phone.home) removeDataHome(phone.home.dataHome);
  }
}
