#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server for the tests, then stops the server.
# Usage: scripts/with-postgres.sh COMMAND...
#
# Starts Debian's postgresql (installed by scripts/ensure-deps.sh test when run as root) in a temporary
# directory on a free loopback port, and exports MIA_TEST_POSTGRES_URL for the command. Without the server
# binaries, or without a way to run them as a non-root user, the command runs without the variable and the
# PostgreSQL tests report themselves as skipped with the reason. An existing MIA_TEST_POSTGRES_URL is kept.
set -uo pipefail

if [ -n "${MIA_TEST_POSTGRES_URL:-}" ]; then exec "$@"; fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "==> PostgreSQL tests will be skipped: no PostgreSQL server (apt-get install postgresql)" >&2
  exec "$@"
fi

# The server refuses to run as root: use the postgres user the Debian package creates.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "==> PostgreSQL tests will be skipped: running as root and there is no postgres user" >&2
    exec "$@"
  fi
  as_owner=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/mia-postgres.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() { "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"; }
trap stop EXIT

if ! "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U mia --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
  echo "==> PostgreSQL tests will be skipped: initdb failed (see below)" >&2
  cat "$dir/initdb.log" >&2
  "$@"
  exit $?
fi
# Enough connections for the scale-out test's replicas; no durability needed for a throwaway server.
if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-k $dir -h 127.0.0.1 -p $port -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null; then
  echo "==> PostgreSQL tests will be skipped: the server did not start" >&2
  cat "$dir/server.log" >&2
  "$@"
  exit $?
fi
export MIA_TEST_POSTGRES_URL="postgres://mia@127.0.0.1:$port/postgres"
echo "==> PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests at $MIA_TEST_POSTGRES_URL" >&2
"$@"
