#!/usr/bin/env bash
# Fapiao vs PostgreSQL on the same invoice-issuance workload, on this machine.
#
#   bench/compare-postgres.sh                       # DURATION=10 CONCURRENCY=64 BATCH=64
#   DURATION=30 CONCURRENCY=128 bench/compare-postgres.sh
#
# What it does (as root on a fresh Debian machine, or as a user who can run PostgreSQL):
#   1. installs the `postgresql` package if its binaries are missing;
#   2. creates a throw-away cluster in a temporary directory (as the `postgres` OS user
#      when run as root: initdb refuses root), started on 127.0.0.1 on a free port with
#      the server's durable defaults (fsync = on, synchronous_commit = on; only
#      max_connections is raised to fit CONCURRENCY), and a database for the bench;
#   3. builds `fapiao` once with `cargo build --release -p fapiao-cli` (the release
#      profile; cargo reuses target/release when it is up to date) — or uses FAPIAO_BIN;
#   4. starts `fapiao demo` (one validator) in a temporary directory on a free port;
#   5. runs `fapiao bench --workload issue --concurrency C --duration D --batch B` against
#      the node, stops the node, then runs the same workload against PostgreSQL (one
#      invoice per database transaction, C connections);
#   6. prints both result rows and, last, `ratio: X` = fapiao committed tx/s ÷
#      PostgreSQL committed tx/s (2 decimals);
#   7. stops both servers and removes the temporary directory on exit (KEEP=1 keeps it;
#      the JSON reports are in it).
#
# Environment: DURATION (s, default 10), CONCURRENCY (default 64), BATCH (node only,
# default 64), FAPIAO_BIN (a built binary; skips the build), KEEP (1: keep the work dir).
set -euo pipefail

DURATION=${DURATION:-10}
CONCURRENCY=${CONCURRENCY:-64}
BATCH=${BATCH:-64}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_TAG=compare
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

WORK=$(mktemp -d /tmp/fapiao-compare.XXXXXX)
chmod 755 "$WORK"
NODE_PID=""
PG_STARTED=""

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

# --- PostgreSQL binaries ---------------------------------------------------------------
pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then
        echo "$d"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}
PGBIN=$(pg_bin)
if [ -z "$PGBIN" ]; then
    log "installing postgresql"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(pg_bin)
fi
[ -n "$PGBIN" ] || { echo "PostgreSQL binaries not found" >&2; exit 1; }

if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$WORK" --shell /bin/sh postgres
    AS_PG=(runuser -u postgres --)
else
    AS_PG=()
fi

cleanup() {
    local rc=$?
    stop_node
    if [ -n "$PG_STARTED" ]; then
        "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ "${KEEP:-0}" = 1 ]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- PostgreSQL cluster ----------------------------------------------------------------
PGPORT=$(free_port)
mkdir -p "$WORK/pg" "$WORK/pgsock"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pg" "$WORK/pgsock"
log "initdb in $WORK/pg ($("$PGBIN/postgres" --version))"
"${AS_PG[@]}" "$PGBIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 1; }
log "starting PostgreSQL on 127.0.0.1:$PGPORT"
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK/pgsock -c max_connections=$((CONCURRENCY + 70))" \
    start >/dev/null
PG_STARTED=1
"${AS_PG[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres fapiao_bench
PGURL="postgres://postgres@127.0.0.1:$PGPORT/fapiao_bench"
DURABILITY=$("$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d fapiao_bench -At \
    -c "SELECT 'fsync=' || current_setting('fsync') || ' synchronous_commit=' || current_setting('synchronous_commit') || ' wal_sync_method=' || current_setting('wal_sync_method')")
log "PostgreSQL settings: $DURABILITY"

# --- fapiao ----------------------------------------------------------------------------
FAPIAO=$(fapiao_binary)
log "starting fapiao demo in $WORK/fapiao"
start_demo "$FAPIAO" "$WORK/fapiao" "$WORK/fapiao.log"

# --- the runs --------------------------------------------------------------------------
log "uptime: $(uptime)"
log "fapiao bench --workload issue --concurrency $CONCURRENCY --duration $DURATION --batch $BATCH (node $NODE_URL)"
"$FAPIAO" bench --target "$NODE_URL" --identities "$WORK/fapiao/demo/identities.json" \
    --workload issue --concurrency "$CONCURRENCY" --duration "$DURATION" --batch "$BATCH" \
    --json >"$WORK/fapiao.json"
stop_node
log "fapiao bench --postgres … --workload issue --concurrency $CONCURRENCY --duration $DURATION"
"$FAPIAO" bench --postgres "$PGURL" --workload issue --concurrency "$CONCURRENCY" \
    --duration "$DURATION" --json >"$WORK/postgres.json"

# --- results ---------------------------------------------------------------------------
field() { # field NAME FILE: the first numeric value of "NAME": in the one-line JSON
    grep -o "\"$1\":[0-9.eE+-]*" "$2" | head -n 1 | cut -d: -f2
}
row() { # row LABEL FILE
    printf '%-9s committed/s %10s  success %6s  latency ms p50 %8s p99 %8s p99.9 %8s  committed %s in %s s\n' \
        "$1" "$(field committed_per_s "$2")" "$(field success_rate "$2")" \
        "$(field p50 "$2")" "$(field p99 "$2")" "$(field p999 "$2")" \
        "$(field committed_in_window "$2")" "$(field window_s "$2")"
}
echo "workload issue, concurrency $CONCURRENCY, duration $DURATION s, node batch $BATCH; PostgreSQL $DURABILITY"
row fapiao "$WORK/fapiao.json"
row postgres "$WORK/postgres.json"
F=$(field committed_per_s "$WORK/fapiao.json")
P=$(field committed_per_s "$WORK/postgres.json")
awk -v f="${F:-0}" -v p="${P:-0}" 'BEGIN { if (p > 0) printf "ratio: %.2f\n", f / p; else print "ratio: n/a" }'
