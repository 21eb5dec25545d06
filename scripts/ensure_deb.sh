#!/usr/bin/env bash
# Make sure a Debian package's program is there for the tests: `ensure_deb.sh PROGRAM PACKAGE`.
# Used for chromium (the browser tests drive Debian's chromium through playwright's python
# API, since no browser download is possible here) and faketime (the second test run two
# years ahead). Quiet on success; apt's output goes to var/apt.log.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 2 ]; then
  echo "usage: $0 /path/to/program debian-package" >&2
  exit 2
fi
PROGRAM=$1
PACKAGE=$2

if [ -x "$PROGRAM" ]; then
  exit 0
fi
mkdir -p var
LOG=var/apt.log
if ! command -v apt-get > /dev/null; then
  echo "ensure_deb: $PROGRAM is missing and apt-get is not available;" \
       "install $PACKAGE with the system's package manager." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure_deb: $PROGRAM is missing; installing it needs root." \
         "Run: sudo apt-get install $PACKAGE" >&2
    exit 1
  fi
fi
echo "Installing Debian's $PACKAGE for the tests (log: $LOG) ..."
if ! { $SUDO apt-get update -qq \
       && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$PACKAGE"; } \
       >> "$LOG" 2>&1; then
  tail -20 "$LOG" >&2
  echo "ensure_deb: could not install $PACKAGE (see $LOG)." >&2
  exit 1
fi
if [ ! -x "$PROGRAM" ]; then
  echo "ensure_deb: $PACKAGE was installed but $PROGRAM is missing (see $LOG)." >&2
  exit 1
fi
echo "$PACKAGE ready: $PROGRAM"
