#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (PATH first, then pyenv), or fail clearly.
set -euo pipefail
for candidate in "${PYTHON310:-}" python3.10; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
     && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    command -v "$candidate"; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -V -r); do
    path="$(pyenv root)/versions/$version/bin/python3.10"
    if [ -x "$path" ]; then echo "$path"; exit 0; fi
  done
fi
echo "Python 3.10 was not found. Install it (for example 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10." >&2
exit 1
