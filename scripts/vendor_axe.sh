#!/usr/bin/env bash
# Vendor axe-core (the accessibility rules engine) for the browser tests:
# tests/e2e/vendor/axe.min.js, its LICENSE (MPL-2.0) and a README with the version.
# Reproduce or update with: scripts/vendor_axe.sh [VERSION]   (needs npm and the npm registry)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:-4.14.1}"
DEST=tests/e2e/vendor
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "axe-core@$VERSION" > /dev/null 2>&1)
tar -xzf "$WORK/axe-core-$VERSION.tgz" -C "$WORK"
mkdir -p "$DEST"
cp "$WORK/package/axe.min.js" "$DEST/axe.min.js"
cp "$WORK/package/LICENSE" "$DEST/LICENSE"
cat > "$DEST/README.md" <<README
# Vendored test tools

- \`axe.min.js\`: axe-core $VERSION (Deque Systems, MPL-2.0, see \`LICENSE\`), from the npm
  package \`axe-core@$VERSION\`. Used only by tests/e2e/test_web_browser.py to check the web
  chat page against WCAG 2.1 A/AA. Update with \`scripts/vendor_axe.sh VERSION\`.
README
echo "axe-core $VERSION vendored in $DEST"
