#!/usr/bin/env bash
# Browser end-to-end tests of the web pages: Debian's chromium driven by playwright-core,
# first e2e/tests/*.mjs against a fresh `fapiao demo` on a free loopback port, then
# e2e/tests/crosschain/*.mjs against a fresh `fapiao demo --cross-chain` (tax, finance and
# industry chains on three free ports) once it has told its loan story. Screenshots go to
# the cargo target directory's e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
start=$(date +%s)

if ! command -v chromium >/dev/null; then
  echo "installing chromium (and a CJK font, so the screenshots are readable)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
(cd e2e && npm ci --no-audit --no-fund --silent)

# The workspace's target directory (a worktree may share another's: .cargo/config.toml).
TARGET=${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')}
# FAPIAO_BIN: a fapiao executable to test instead (a copy of one built from this tree, when
# the target directory is shared with other trees whose builds replace debug/fapiao).
BIN=${FAPIAO_BIN:-$TARGET/debug/fapiao}
if [ ! -x "$BIN" ]; then cargo build -p fapiao-cli; fi
SHOTS_DIR=$TARGET/e2e

DATA=$(mktemp -d)
LINKED=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" demo --data-dir "$DATA" --http "127.0.0.1:$PORT" >"$DATA/demo.log" 2>&1 &
PID=$!
LPID=
cleanup() {
  kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true
  if [ -n "$LPID" ]; then kill -INT "$LPID" 2>/dev/null || true; wait "$LPID" 2>/dev/null || true; fi
  rm -rf "$DATA" "$LINKED"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  [ -s "$DATA/demo/identities.json" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$DATA/demo.log"; echo "demo exited"; exit 1; }
  sleep 0.5
done
[ -s "$DATA/demo/identities.json" ] || { tail -20 "$DATA/demo.log"; echo "no identities.json"; exit 1; }

mkdir -p "$SHOTS_DIR"
# One script per application (pages.mjs is the invoice application's), all against the
# same demo; each fails on its own and the run reports every failure.
status=0
for script in e2e/tests/*.mjs; do
  echo "== $script"
  FAPIAO_URL="http://127.0.0.1:$PORT" FAPIAO_IDENTITIES="$DATA/demo/identities.json" \
    SHOTS="$SHOTS_DIR" node "$script" || status=$?
done
kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true

# Phase two: the cross-chain demo. Its tax chain's API is on --http, finance's 200 above,
# industry's 400 above, each chain's peer port 100 below its API: a base whose six ports
# are all free.
HTTP=$(python3 - <<'PY'
import random, socket
for _ in range(200):
    http = random.randrange(21000, 40000)
    ports = [http + d for d in (-100, 0, 100, 200, 300, 400)]
    try:
        socks = []
        for p in ports:
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", p)); socks.append(s)
    except OSError:
        continue
    finally:
        for s in socks: s.close()
    print(http); break
PY
)
[ -n "$HTTP" ] || { echo "no free ports for the cross-chain demo"; exit 1; }
echo "== fapiao demo --cross-chain on 127.0.0.1:$HTTP (+200, +400)"
"$BIN" demo --cross-chain --data-dir "$LINKED" --http "127.0.0.1:$HTTP" >"$LINKED/demo.log" 2>&1 &
LPID=$!
# Seeded to the end (the loan approved, the invoice financed) when it writes its marker.
for _ in $(seq 1 360); do
  [ -e "$LINKED/seeded" ] && break
  kill -0 "$LPID" 2>/dev/null || { tail -30 "$LINKED/demo.log"; echo "the cross-chain demo exited"; exit 1; }
  sleep 0.5
done
[ -e "$LINKED/seeded" ] || { tail -30 "$LINKED/demo.log"; echo "the cross-chain demo did not seed"; exit 1; }
for script in e2e/tests/crosschain/*.mjs; do
  echo "== $script"
  FAPIAO_URL="http://127.0.0.1:$HTTP" FAPIAO_TAX_URL="http://127.0.0.1:$HTTP" \
    FAPIAO_FINANCE_URL="http://127.0.0.1:$((HTTP + 200))" FAPIAO_INDUSTRY_URL="http://127.0.0.1:$((HTTP + 400))" \
    FAPIAO_LINKED_DIR="$LINKED" SHOTS="$SHOTS_DIR" node "$script" || status=$?
done
echo "e2e/run.sh took $(( $(date +%s) - start ))s"
exit $status
