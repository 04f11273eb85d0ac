#!/usr/bin/env bash
# FerretDB over PostgreSQL for the throughput benchmark (issue 16): a private PostgreSQL cluster (Debian's
# `postgresql` package, apt-get) in a scratch directory on a free loopback port, and the test stack's
# FerretDB (.tools/bin/ferretdb) with its postgresql handler in front of it. Nothing system-wide is started
# or changed (the distribution's own cluster stays as it is).
#
#   scripts/ferretdb-postgres.sh start DIR   → prints MONGODB_URI=… (use it for `npm run bench`)
#   scripts/ferretdb-postgres.sh stop DIR
#
# PostgreSQL refuses to run as root: when run as root, the cluster runs as the `postgres` user.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?scratch directory}
root=$(cd "$(dirname "$0")/.." && pwd)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  pgport=$(free_port)
  as_pg "$pgbin/initdb" -D "$dir/pg" -U ferretdb --auth=trust >"$dir/initdb.log"
  as_pg "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
    -o "-p $pgport -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U ferretdb ferretdb
  port=$(free_port)
  # pool_max_conns: FerretDB 1.24 holds a pooled connection per update statement until its command ends, and
  # hangs once its pool (default 50) is used up that way (src/tatum/jobs.ts, MAX_WRITES_PER_BATCH).
  "$root/.tools/bin/ferretdb" --handler=postgresql \
    --postgresql-url="postgres://ferretdb@127.0.0.1:$pgport/ferretdb?pool_max_conns=150" \
    --listen-addr="127.0.0.1:$port" --state-dir="$dir" --debug-addr=- --telemetry=disable \
    --log-level=warn >"$dir/ferretdb.log" 2>&1 &
  echo $! >"$dir/ferretdb.pid"
  for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
  echo "MONGODB_URI=mongodb://127.0.0.1:$port/"
  ;;
stop)
  [ -f "$dir/ferretdb.pid" ] && kill "$(cat "$dir/ferretdb.pid")" 2>/dev/null || true
  [ -d "$dir/pg" ] && as_pg "$pgbin/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null || true
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
