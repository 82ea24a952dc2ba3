#!/usr/bin/env bash
# Installs the programs the test suites use besides the Rust toolchain: poppler-utils
# (pdftotext, pdftoppm) and zbar-tools (zbarimg) read back the invoice PDFs and their QR
# codes as a person's tools would; postgresql (its server binaries: the exchange
# responder's tests start a throw-away cluster with initdb). Debian packages; needs root
# (or sudo).
set -euo pipefail
have_pg() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
if command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null && have_pg; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends poppler-utils zbar-tools postgresql >/dev/null
command -v pdftotext pdftoppm zbarimg >/dev/null
have_pg
