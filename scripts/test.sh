#!/usr/bin/env bash
# Runs every test of Patrol Log: installs what is missing, builds the UI and runs its unit
# tests, builds the workspace once, checks cargo fmt and clippy, runs the Rust tests, then
# drives the real app window through tauri-driver under Xvfb and the county dashboard in
# headless Chromium.
# Usage: ./scripts/test.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "install what is missing"
./scripts/install-deps.sh

step "UI: build (ui/dist, checked for outside URLs) and unit tests"
(cd ui && npm run build && npx vitest run)

step "cargo build --workspace --all-targets"
cargo build --workspace --all-targets

step "cargo fmt --check and clippy -D warnings"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test --workspace"
cargo test --workspace

step "end-to-end: the real app window under Xvfb"
# node's test runner prints its summary (pass/fail counts) last.
xvfb-run -a -s "-screen 0 1280x1024x24" \
  node --test --test-concurrency=1 tests/e2e/*.test.mjs

step "county dashboard: headless Chromium against a real county-server"
(cd tests/dashboard && node --test --test-concurrency=1 ./*.test.mjs)
