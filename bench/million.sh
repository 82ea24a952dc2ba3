#!/usr/bin/env bash
# Storage and read latency as the state grows: one validator, N invoices.
#
#   bench/million.sh                      # N=1000000 FIRST=100000
#   N=200000 FIRST=50000 bench/million.sh # a shorter run
#
# What it does:
#   1. builds `fapiao` (release) unless FAPIAO_BIN names a binary;
#   2. starts a fresh `fapiao demo` (one validator) in a temporary directory;
#   3. issues FIRST invoices (`fapiao bench --workload issue`, closed loop), then runs the
#      `verify` workload (proof bundles + public verification) for READ_SECONDS;
#   4. issues the rest up to N, runs the same `verify` workload again;
#   5. stops the node and prints, for both state sizes, the read latency percentiles, and
#      the data directory's size per invoice in disk blocks actually used (`du -B1`): total,
#      state.redb (indexes, blocks, receipts, private records), state/ (the QMDB state
#      database), consensus/ and bodies/ (archived block bodies, reported apart).
#
# Environment: N, FIRST, READ_SECONDS (default 15), CONCURRENCY (issue, default 128),
# FAPIAO_BIN, KEEP (1: keep the work dir; the JSON reports are in it).
set -euo pipefail

N=${N:-1000000}
FIRST=${FIRST:-100000}
READ_SECONDS=${READ_SECONDS:-15}
CONCURRENCY=${CONCURRENCY:-128}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_TAG=million
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

WORK=$(mktemp -d /tmp/fapiao-million.XXXXXX)
NODE_PID=""
cleanup() {
    stop_node
    if [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT

FAPIAO=$(fapiao_binary)
start_demo "$FAPIAO" "$WORK/data" "$WORK/node.log"
sleep 5 # the demo story seeds its first blocks
BENCH=("$FAPIAO" bench --target "$NODE_URL" --identities "$WORK/data/demo/identities.json")

issue() { # $1 = invoices, $2 = report name (runs of at most 500,000: `--pool`'s limit)
    local left=$1 run=0 n
    while [ "$left" -gt 0 ]; do
        n=$((left > 500000 ? 500000 : left))
        run=$((run + 1))
        log "issuing $n invoices ($2, run $run)"
        "${BENCH[@]}" --workload issue --concurrency "$CONCURRENCY" --pool "$n" \
            --duration 3600 --drain 60 --json >"$WORK/$2-$run.json"
        left=$((left - n))
    done
}
reads() { # $1 = report name
    log "reading (verify workload, ${READ_SECONDS}s)"
    "${BENCH[@]}" --workload verify --concurrency 16 --duration "$READ_SECONDS" --json \
        >"$WORK/$1.json"
}
used() { # disk bytes actually used by $1 (0 when absent)
    if [ -e "$1" ]; then du -sB1 "$1" | cut -f1; else echo 0; fi
}
sizes() { # prints total redb qmdb consensus bodies bytes
    echo "$(used "$WORK/data") $(used "$WORK/data/state.redb") $(used "$WORK/data/state") \
$(used "$WORK/data/consensus") $(used "$WORK/data/bodies")"
}

issue "$FIRST" issue-first
reads reads-first
read -r T1 S1 Q1 C1 B1 < <(sizes)
issue $((N - FIRST)) issue-rest
reads reads-all
read -r T2 S2 Q2 C2 B2 < <(sizes)
RSS=$(awk '/VmRSS/ {printf "%d", $2 * 1024}' "/proc/$NODE_PID/status")

python3 - "$WORK" "$FIRST" "$N" "$T1" "$S1" "$Q1" "$C1" "$B1" "$T2" "$S2" "$Q2" "$C2" "$B2" "$RSS" <<'EOF'
import json, sys
work, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t1, s1, q1, c1, b1, t2, s2, q2, c2, b2, rss = map(int, sys.argv[4:])
def rep(name):
    return json.load(open(f"{work}/{name}.json"))
import glob, os
for path in sorted(glob.glob(f"{work}/issue-*.json")):
    name = os.path.basename(path)[:-5]
    r = rep(name)
    count = r["committed"]
    l = r["latency_ms"] or {}
    print(f"{name:12} {count} invoices: {r['committed'] / max(r['last_commit_s'] or 1, 1e-9):.0f}/s "
          f"committed ({r['committed']} in {r['last_commit_s'] or 0:.0f} s), "
          f"p50 {l.get('p50', 0):.0f} ms, p99 {l.get('p99', 0):.0f} ms")
for name, count in (("reads-first", first), ("reads-all", n)):
    r = rep(name)["reads"]
    l = r["latency_ms"] or {}
    print(f"reads at {count:>8} invoices: {r['ok_per_s']:.0f} reads/s, "
          f"p50 {l.get('p50', 0):.2f} / p99 {l.get('p99', 0):.2f} / p99.9 {l.get('p999', 0):.2f} ms")
for label, count, t, s, q, c, b in (("after first", first, t1, s1, q1, c1, b1),
                                   ("after all", n, t2, s2, q2, c2, b2)):
    print(f"data dir {label:11} ({count} invoices): {(t - b)/1e9:.2f} GB = {(t - b)/count:.0f} "
          f"B/invoice without archived bodies (state.redb {s/count:.0f}, state/ {q/count:.0f}, "
          f"consensus {c/count:.0f}); archived bodies {b/count:.0f} B/invoice")
print(f"node RSS at the end: {rss/2**20:.0f} MiB")
EOF
stop_node
log "space by table after all ($N invoices)"
"$FAPIAO" storage --data-dir "$WORK/data"
