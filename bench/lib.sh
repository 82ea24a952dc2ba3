# Helpers shared by the bench scripts (sourced, not run). The caller sets ROOT (the
# repository) and LOG_TAG, and has `set -euo pipefail`.

log() { echo "[$LOG_TAG] $*" >&2; }

# fapiao_binary: prints FAPIAO_BIN, or builds the release binary and prints its path.
fapiao_binary() {
    if [ -n "${FAPIAO_BIN:-}" ]; then
        echo "$FAPIAO_BIN"
    else
        log "cargo build --release -p fapiao-cli"
        (cd "$ROOT" && cargo build --release -q -p fapiao-cli)
        echo "$ROOT/target/release/fapiao"
    fi
}

# start_demo FAPIAO DIR LOGFILE: starts `fapiao demo` in DIR on a port the kernel picks,
# waits for its address and the demo identities; sets NODE_PID and NODE_URL.
start_demo() {
    "$1" demo --data-dir "$2" --http 127.0.0.1:0 >"$3" 2>&1 &
    NODE_PID=$!
    for _ in $(seq 1 600); do
        [ -s "$2/http.addr" ] && [ -f "$2/demo/identities.json" ] && break
        kill -0 "$NODE_PID" 2>/dev/null || { cat "$3" >&2; exit 1; }
        sleep 0.2
    done
    [ -f "$2/demo/identities.json" ] || { echo "fapiao demo did not start" >&2; exit 1; }
    NODE_URL="http://$(cat "$2/http.addr")"
}

# stop_node: stops the node started by start_demo, if it runs.
stop_node() {
    if [ -n "${NODE_PID:-}" ] && kill -0 "$NODE_PID" 2>/dev/null; then
        kill "$NODE_PID" 2>/dev/null || true
        wait "$NODE_PID" 2>/dev/null || true
    fi
    NODE_PID=""
}
