#!/usr/bin/env bash
# Every test suite, as a newcomer runs it: installs the PDF/QR reading tools if missing
# (scripts/test-deps.sh), then `cargo nextest run --workspace` (arguments are passed on).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-deps.sh
exec cargo nextest run --workspace "$@"
