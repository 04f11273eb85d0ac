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
    -o "-p $pgport -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c plan_cache_mode=force_custom_plan" \
    start >/dev/null
  as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U ferretdb ferretdb
  # MongoDB finds a document by _id through its _id index. FerretDB 1.24 asks PostgreSQL for
  # `_jsonb->'_id' @> $1` (jsonb containment, seen in PostgreSQL's statement log), which the btree index it
  # creates on `_jsonb->'_id'` cannot serve, so every update of a job scanned the whole jobs table (at 3,000
  # jobs ≈ 0.8 of 2 cores in PostgreSQL). A GIN index on the same expression serves containment; an event
  # trigger adds one to every collection table FerretDB creates, so the stand-in looks up _id as MongoDB does.
  # FerretDB names the key as a parameter (`_jsonb->$1`): a cached generic plan cannot match the index
  # expression and scans, so the cluster plans each execution with its values (plan_cache_mode above).
  # fastupdate off: with it on, new entries wait in a pending list that "searches must scan … in addition
  # to searching the regular index" (PostgreSQL docs, GIN Fast Update Technique); every job update adds one,
  # and at 3,000 jobs the list held 9,000 entries and a look-up took 0.8 ms instead of 0.18 ms.
  # The jobs tables also get one on `carriesAudit`, the flag the reconciler's audit repair selects by
  # (src/tatum/audit-repair.ts): only jobs still carrying their final record have it, so the look-up reads
  # those rather than the whole job history.
  as_pg psql -q -h 127.0.0.1 -p "$pgport" -U ferretdb ferretdb <<'SQL'
CREATE FUNCTION kms_signer_index_id() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE created record;
BEGIN
  FOR created IN SELECT object_identity FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE'
  LOOP
    IF created.object_identity NOT LIKE '%._ferretdb_%' THEN
      EXECUTE format('CREATE INDEX ON %s USING gin ((_jsonb -> ''_id'') jsonb_path_ops) WITH (fastupdate = off)', created.object_identity);
    END IF;
    IF created.object_identity LIKE '%.signing_jobs_%' THEN
      EXECUTE format('CREATE INDEX ON %s USING gin ((_jsonb -> ''carriesAudit'') jsonb_path_ops) WITH (fastupdate = off)', created.object_identity);
    END IF;
  END LOOP;
END $$;
CREATE EVENT TRIGGER kms_signer_index_id ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION kms_signer_index_id();
SQL
  port=$(free_port)
  # pool_max_conns: FerretDB 1.24 holds a pooled connection per update statement until its command ends, and
  # hangs once its pool (default 50) is used up that way (src/tatum/jobs.ts, MAX_WRITES_PER_BATCH); a runner
  # writes up to concurrency ÷ 32 batches of 32 at a time (writeBatchesFor, at most 8: 256 connections), and
  # at concurrency 192 a pool of 150 hung the benchmark.
  "$root/.tools/bin/ferretdb" --handler=postgresql \
    --postgresql-url="postgres://ferretdb@127.0.0.1:$pgport/ferretdb?pool_max_conns=300" \
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
