#!/usr/bin/env bash
# Installs what building, running and testing Patrol Log needs on Debian/Ubuntu.
# Idempotent: every step is skipped when what it installs is already there, so a
# second run takes a second or two.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[install-deps] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

# System packages: WebKitGTK and friends for Tauri, Xvfb and WebKitWebDriver for the
# end-to-end test, Debian's Chromium for the county dashboard's browser tests, and a CJK font
# so Chinese text renders on a bare machine. libssl-dev: the device store's SQLCipher links the
# system libcrypto; libdbus-1-dev: the store's key in the Secret Service (keyring crate).
apt_packages=(
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev libdbus-1-dev
  libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libgtk-3-dev pkg-config xvfb xauth webkit2gtk-driver fonts-wqy-microhei chromium
)

missing_apt=()
for pkg in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing_apt+=("$pkg")
  fi
done
if [ "${#missing_apt[@]}" -gt 0 ]; then
  log "apt: installing ${missing_apt[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing_apt[@]}"
else
  log "apt: all ${#apt_packages[@]} packages present"
fi

for tool in cargo node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "error: '$tool' is not on PATH; install Rust (rustup) and Node.js 20+ first"
    exit 1
  fi
done

# npm packages: `npm ci` only when node_modules is missing or the lock file changed
# since the last install (its hash is kept inside node_modules).
npm_ci_if_needed() {
  local dir="$1"
  local lock="$dir/package-lock.json"
  local stamp="$dir/node_modules/.package-lock.sha256"
  [ -f "$lock" ] || return 0
  local label="${dir#"$repo_root"}"
  label="${label#/}"
  label="${label:-.}"
  local want
  want="$(sha256sum "$lock" | cut -d' ' -f1)"
  if [ -d "$dir/node_modules" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "npm: $label up to date"
    return 0
  fi
  log "npm: npm ci in $label"
  (cd "$dir" && npm ci --no-audit --no-fund)
  printf '%s\n' "$want" >"$stamp"
}
npm_ci_if_needed "$repo_root"          # the Tauri CLI, for `npx tauri build`
npm_ci_if_needed "$repo_root/ui"
npm_ci_if_needed "$repo_root/tests/e2e"
npm_ci_if_needed "$repo_root/tests/dashboard"

# tauri-driver: the WebDriver bridge for the end-to-end test.
export PATH="$HOME/.cargo/bin:$PATH"
if command -v tauri-driver >/dev/null 2>&1; then
  log "tauri-driver: present"
else
  log "tauri-driver: cargo install tauri-driver --locked"
  cargo install tauri-driver --locked
fi

# --- PostgreSQL for the county-server tests (owned by county-server) -------------
# The storage contract suite starts a throwaway PostgreSQL cluster with initdb/pg_ctl
# from /usr/lib/postgresql/*/bin; install the server packages only when none is there.
if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  log "postgresql: present"
else
  log "postgresql: apt-get install postgresql"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
fi
# --- end PostgreSQL ---------------------------------------------------------------
