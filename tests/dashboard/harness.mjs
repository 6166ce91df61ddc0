// Harness for the county dashboard's browser tests: a real `county-server` (the debug binary of
// the shared target dir, CARGO_TARGET_DIR honoured) on a free loopback port with a fresh SQLite
// database and data dir; county admins made with `county-server admin add`; real devices made
// with the `patrol` CLI (enrol, record, sync, show); and Debian's Chromium driven headless by
// playwright-core with a fresh profile. Nothing is downloaded; every process is ended by its PID.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { chromium } from "playwright-core";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(repoRoot, "target");
export const countyServerBinary = join(targetDir, "debug", "county-server");
export const patrolBinary = join(targetDir, "debug", "patrol");
export const dashboardBuild = join(repoRoot, "ui", "dist-dashboard", "index.html");
export const artifactsDir = join(repoRoot, "test-artifacts", "dashboard");
export const chromiumBinary = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Fails early, saying what to do, when something the tests need was not built or installed. */
export function checkPrerequisites() {
  const missing = [];
  if (!existsSync(countyServerBinary)) missing.push(`${countyServerBinary} (cargo build -p county-server)`);
  if (!existsSync(patrolBinary)) missing.push(`${patrolBinary} (cargo build -p patrol-cli)`);
  if (!existsSync(dashboardBuild)) missing.push(`${dashboardBuild} (cd ui && npm run build)`);
  if (!existsSync(chromiumBinary)) missing.push(`${chromiumBinary} (apt-get install -y chromium)`);
  if (missing.length) throw new Error(`the dashboard tests need:\n  ${missing.join("\n  ")}`);
}

function run(binary, args, { input, timeout = 60_000 } = {}) {
  const result = spawnSync(binary, args, { input, encoding: "utf8", timeout });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(" ")} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout.trim();
}

async function sleep(ms) {
  await new Promise((done) => setTimeout(done, ms));
}

/** A county: its own temp dir, database and photos; `stop()` ends the server and removes all. */
export class County {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "patrol-dashboard-county-"));
    this.database = join(this.dir, "county.sqlite3");
    this.dataDir = join(this.dir, "data");
    this.child = null;
    this.url = null;
    this.devices = [];
  }

  /** `county-server --database <db> <args…>`; its trimmed stdout. */
  admin(args, input) {
    return run(countyServerBinary, ["--database", this.database, ...args], { input });
  }

  addAdmin(username, password, role) {
    this.admin(["admin", "add", username, "--role", role], `${password}\n`);
  }

  /** Adds a post; returns its id. */
  addPost(name) {
    return this.admin(["post", "add", name]).split(/\s+/).pop();
  }

  enrolmentCode(post) {
    return this.admin(["enroll-code", post]).split(/\s+/).pop();
  }

  /** `county-server report --year Y --format json`, parsed. */
  reportJson(year) {
    return JSON.parse(this.admin(["report", "--year", String(year), "--format", "json"]));
  }

  /** Serves on a free loopback port; `serveArgs` are more `serve` options (`--map-tile-url …`). */
  async start(serveArgs = []) {
    const child = spawn(
      countyServerBinary,
      ["--database", this.database, "serve", "--listen", "127.0.0.1:0", "--data-dir", this.dataDir, ...serveArgs],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    let output = "";
    this.url = await new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`county-server did not start:\n${output}`)), 30_000);
      const onData = (chunk) => {
        output += chunk;
        const match = /listening on (https?:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          done(match[1].replace(/\/$/, ""));
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        fail(new Error(`county-server exited ${code}:\n${output}`));
      });
    });
    // Keep draining its log so a chatty server never blocks on a full pipe.
    child.stdout.resume();
    child.stderr.resume();
    return this.url;
  }

  /** A device of `post`, enrolled with a fresh code under `label`. */
  enrolDevice(post, label) {
    const device = new Device(label);
    device.enrol(this.url, this.enrolmentCode(post));
    this.devices.push(device);
    return device;
  }

  async stop() {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      const gone = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!gone) child.kill("SIGKILL");
    }
    for (const device of this.devices) device.remove();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A device without a window: the `patrol` CLI on its own data dir. */
export class Device {
  constructor(label) {
    this.label = label;
    this.dataDir = mkdtempSync(join(tmpdir(), "patrol-dashboard-device-"));
  }

  patrol(args, input) {
    return run(patrolBinary, ["--data-dir", this.dataDir, ...args], { input });
  }

  enrol(serverUrl, code) {
    this.patrol(["enroll", serverUrl, code, "--label", this.label]);
  }

  /** Records one entry from its JSON, with photo files (`--photo`); returns the id the CLI prints. */
  record(entry, photos = []) {
    const photoArgs = photos.flatMap((path) => ["--photo", path]);
    return this.patrol(["record", entry.kind, "--json", "-", ...photoArgs], JSON.stringify(entry));
  }

  /** Writes a small PNG photo into this device's temp dir; returns its path. */
  photoFile(name, colour) {
    const path = join(this.dataDir, name);
    writeFileSync(path, plainPng(480, 360, colour));
    return path;
  }

  sync() {
    return JSON.parse(this.patrol(["sync", "--json"]));
  }

  /** The entry as this device has it (`patrol show ID --json`). */
  show(id) {
    return JSON.parse(this.patrol(["show", id, "--json"]));
  }

  remove() {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Debian's Chromium, headless, with a fresh profile dir of its own, at the dashboard's
 * desktop size; `close()` ends it and removes the profile.
 */
export async function openBrowser({ width = 1280, height = 800 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "patrol-dashboard-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumBinary,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    acceptDownloads: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  const requestsElsewhere = [];
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && !["data:", "blob:", "about:"].includes(url.protocol)) {
      requestsElsewhere.push(request.url());
    }
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // A script, style, image or request the server's Content-Security-Policy refused.
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  if (process.env.DASHBOARD_TEST_CONSOLE) page.on("console", (message) => console.log(`[browser ${message.type()}] ${message.text()}`));
  return {
    context,
    page,
    /** Uncaught errors of the page's scripts, and whatever the CSP refused. */
    pageErrors,
    /** Every request the pages made to a host other than the county server. */
    requestsElsewhere,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Logs in through the login page; resolves once the overview shows. */
export async function logIn(page, baseUrl, username, password) {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL((url) => url.pathname === "/");
  await page.waitForSelector('[data-total="posts"] .total-value:not(:text("…"))');
}

export async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A PNG of one colour (RGB): a stand-in map tile or photo. */
export function plainPng(width, height, [red, green, blue]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const pixel = Buffer.from([red, green, blue]);
  const row = Buffer.concat([Buffer.from([0]), ...Array.from({ length: width }, () => pixel)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
