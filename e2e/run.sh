#!/usr/bin/env bash
# Browser end-to-end tests of the web pages: Debian's chromium driven by playwright-core
# against a fresh `fapiao demo` on a free loopback port. Screenshots go to target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
start=$(date +%s)

if ! command -v chromium >/dev/null; then
  echo "installing chromium (and a CJK font, so the screenshots are readable)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
(cd e2e && npm ci --no-audit --no-fund --silent)

BIN=target/debug/fapiao
if [ ! -x "$BIN" ]; then cargo build -p fapiao-cli; fi

DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" demo --data-dir "$DATA" --http "127.0.0.1:$PORT" >"$DATA/demo.log" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

for _ in $(seq 1 240); do
  [ -s "$DATA/demo/identities.json" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$DATA/demo.log"; echo "demo exited"; exit 1; }
  sleep 0.5
done
[ -s "$DATA/demo/identities.json" ] || { tail -20 "$DATA/demo.log"; echo "no identities.json"; exit 1; }

mkdir -p target/e2e
# One script per application (pages.mjs is the invoice application's), all against the
# same demo; each fails on its own and the run reports every failure.
status=0
for script in e2e/tests/*.mjs; do
  echo "== $script"
  FAPIAO_URL="http://127.0.0.1:$PORT" FAPIAO_IDENTITIES="$DATA/demo/identities.json" \
    SHOTS="$ROOT/target/e2e" node "$script" || status=$?
done
echo "e2e/run.sh took $(( $(date +%s) - start ))s"
exit $status
