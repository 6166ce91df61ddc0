#!/usr/bin/env bash
# Builds and runs the Patrol Log app on this machine's local store
# ($XDG_DATA_HOME/cn.patrollog.field, by default ~/.local/share/cn.patrollog.field).
# Usage: ./scripts/run.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

./scripts/install-deps.sh
(cd ui && npm run build)
cargo build -p patrol-log

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display (DISPLAY/WAYLAND_DISPLAY unset); the app needs a desktop session." >&2
  echo "run.sh: to try it headless: xvfb-run -a target/debug/patrol-log" >&2
  exit 1
fi
exec target/debug/patrol-log "$@"
