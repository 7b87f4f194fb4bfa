#!/usr/bin/env bash
# `npm run bench`: builds, makes sure a Docker Engine answers (as `npm test` does), runs every bench in
# bench/*.bench.ts and writes docs/performance.md with the machine, the date and every figure beside its
# yardstick.
#
# A bench prints its results as one JSON object on stdout (bench/result.ts's BenchResult, or any object
# whose figures carry median and p95) and its progress on stderr; bench/report.ts turns them into the page.
# One bench failing does not stop the others; the page says which did not finish, and the exit code is 1.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== build"
node scripts/build.mjs
echo "== engine"
bash scripts/ensure-engine.sh

out="$(mktemp -d /tmp/circuit-bench.XXXXXX)"
status=0
# The page's order first, then any other bench.
benches=()
for name in core scale streams streamMemory spec; do
  [ -f "bench/$name.bench.ts" ] && benches+=("$name")
done
for file in bench/*.bench.ts; do
  name="$(basename "$file" .bench.ts)"
  case " ${benches[*]} " in *" $name "*) ;; *) benches+=("$name") ;; esac
done

for name in "${benches[@]}"; do
  echo "== bench $name"
  start=$SECONDS
  if ! node --import tsx "bench/$name.bench.ts" >"$out/$name.json" 2> >(tee "$out/$name.log" >&2); then
    echo "bench $name failed (log: $out/$name.log)" >&2
    status=1
  fi
  echo "   $((SECONDS - start)) s"
done

echo "== report"
node --import tsx bench/report.ts "$out" >docs/performance.md.new
mv docs/performance.md.new docs/performance.md
sed -n '/^## Goals/,/^## [^G]/p' docs/performance.md | sed '$d'
echo "written: docs/performance.md (raw results in $out)"
exit $status
