#!/usr/bin/env bash
# Builds the bundles and packages the extension as out/circuit-vscode.vsix (with @vscode/vsce 3.x, the last
# that runs on Node 20). Prints the .vsix path on stdout. Used by `npm start` and the end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/build.mjs >&2
mkdir -p out
vsix="out/circuit-vscode.vsix"
# --no-dependencies: the bundles hold everything (package.json has no runtime dependencies).
# --no-rewrite-relative-links: the README links into this repository's docs/, which has no public URL.
npx --no-install vsce package --no-dependencies --no-rewrite-relative-links --out "$vsix" >&2
echo "$PWD/$vsix"
