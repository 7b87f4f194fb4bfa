#!/usr/bin/env bash
# The end-to-end tier of `npm test`: packages the extension (.vsix), installs code-server into its cache
# folder and Chromium when missing (scripts/install-code-server.sh), then runs test/e2e/*.test.ts with
# node's test runner: a real VS Code in Debian's Chromium, against the real server and engine.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash scripts/install-code-server.sh --browser >/dev/null
log="$(mktemp)"
if ! CIRCUIT_VSIX="$(bash scripts/package.sh 2>"$log")"; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
export CIRCUIT_VSIX
node --import tsx --test --test-concurrency=1 test/e2e/*.test.ts
