#!/usr/bin/env bash
# `npm test`: builds, makes sure a Docker Engine answers, and runs every test tier in order:
# typecheck, unit, integration (real server + real engine), end-to-end (a real VS Code).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== build"
node scripts/build.mjs
echo "== typecheck"
npx tsc -p . --noEmit
echo "== engine"
bash scripts/ensure-engine.sh

status=0
run() {
  echo "== $1"
  shift
  "$@" || status=1
}
run unit node --import tsx --test test/unit/*.test.ts
run integration node --import tsx --test --test-concurrency=1 test/integration/*.test.ts
if [ -x test/e2e/run.sh ]; then
  run e2e test/e2e/run.sh
fi
exit $status
