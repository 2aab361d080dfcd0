#!/usr/bin/env bash
# Runs the given command with a throwaway PostgreSQL cluster on a free loopback port: initdb in a temporary folder,
# start, SLUICE_TEST_DB_URL pointing at it, stop and remove it afterwards (as the postgres user when run as root).
# Needs Debian's postgresql package (initdb and pg_ctl under /usr/lib/postgresql/<version>/bin).
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL server binaries not found: run \`sudo apt-get install -y postgresql\`" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/sluice-pg.XXXXXX)
# write, not console.log: under FORCE_COLOR (set by nx) console.log colours a number.
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

SLUICE_TEST_DB_URL="postgres://postgres@127.0.0.1:$port/postgres" "$@"
