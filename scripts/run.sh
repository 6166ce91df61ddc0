#!/usr/bin/env bash
# Builds and runs Patrol Log on this machine.
#   ./scripts/run.sh          the field app on its local store
#                             ($XDG_DATA_HOME/cn.patrollog.field, by default ~/.local/share/cn.patrollog.field)
#   ./scripts/run.sh county   the county server with its dashboard on http://127.0.0.1:8080/,
#                             on ./county-data/ (filled with a demo year, 2024, on first start)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

./scripts/install-deps.sh
(cd ui && npm run build)

if [ "${1:-}" = "county" ]; then
  shift
  cargo build -p county-server
  server=target/debug/county-server
  database=./county-data/county.sqlite3
  password_file=county-data/admin-password.txt
  if [ ! -f "$database" ]; then
    mkdir -p -m 700 county-data
    echo "run.sh: first start: a demo year (2024, 12 posts) through the sync API, and an admin"
    "$server" --database "$database" demo --year 2024
    password="$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 16)"
    printf '%s\n' "$password" | "$server" --database "$database" admin add admin --role admin
    # Only its owner may read the password (0600, in the 0700 county-data/).
    (umask 077 && printf 'admin password: %s\n' "$password" >"$password_file")
  fi
  if [ -f "$password_file" ]; then
    chmod 600 "$password_file" # one written by an older run.sh was 0644
  fi
  echo "run.sh: dashboard on http://127.0.0.1:8080/ — user admin, password in $password_file (readable only by you; delete it once noted; a new one: county-server admin add admin)"
  exec "$server" --database "$database" serve --listen 127.0.0.1:8080 --data-dir ./county-data "$@"
fi

cargo build -p patrol-log

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display (DISPLAY/WAYLAND_DISPLAY unset); the app needs a desktop session." >&2
  echo "run.sh: to try it headless: xvfb-run -a target/debug/patrol-log" >&2
  exit 1
fi
exec target/debug/patrol-log "$@"
