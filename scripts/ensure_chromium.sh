#!/usr/bin/env bash
# Make sure Debian's chromium is at /usr/bin/chromium for the browser tests (tests/e2e).
# No browser download is possible here (playwright's own builds cannot be fetched), so the
# tests drive the distribution's chromium through playwright's python API. Quiet on success;
# apt's output goes to var/apt.log.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
mkdir -p var
LOG=var/apt.log
if ! command -v apt-get > /dev/null; then
  echo "ensure_chromium: $CHROMIUM is missing and apt-get is not available;" \
       "install chromium with the system's package manager." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure_chromium: $CHROMIUM is missing; installing it needs root." \
         "Run: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
echo "Installing Debian's chromium for the browser tests (log: $LOG) ..."
if ! { $SUDO apt-get update -qq \
       && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium; } \
       >> "$LOG" 2>&1; then
  tail -20 "$LOG" >&2
  echo "ensure_chromium: could not install chromium (see $LOG)." >&2
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure_chromium: chromium was installed but $CHROMIUM is missing (see $LOG)." >&2
  exit 1
fi
echo "chromium ready: $("$CHROMIUM" --version 2> /dev/null || echo "$CHROMIUM")"
