#!/usr/bin/env bash
# `npm start`: builds, packages the extension (.vsix), makes sure a Docker Engine runs and the demo image
# exists, installs code-server into a cache folder when missing, and starts it on 127.0.0.1 with the
# extension installed and the examples/ workspace open. Prints the URL; Ctrl-C stops everything it started.
#
#   CIRCUIT_PORT=8080    the port (the next free one is taken when it is busy)
#   CIRCUIT_CACHE=...    where code-server and its state live (default ~/.cache/circuit-vscode)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

log() { echo "[start] $*" >&2; }

cache="${CIRCUIT_CACHE:-$HOME/.cache/circuit-vscode}"
state="$cache/start"
mkdir -p "$state"

log "building and packaging the extension"
if ! vsix="$(bash scripts/package.sh 2>"$state/package.log")"; then
  cat "$state/package.log" >&2
  exit 1
fi
log "making sure a Docker Engine runs"
bash scripts/ensure-engine.sh
exe="$(bash scripts/install-code-server.sh)"

mkdir -p "$state/user-data/User" "$state/extensions" "$state/config" "$state/data" "$state/cache" "$state/tmp"
# The defaults the settings lack are added; the user's own values are kept.
node scripts/code-server-settings.mjs "$state/user-data/User/settings.json"

export XDG_CONFIG_HOME="$state/config" XDG_DATA_HOME="$state/data" XDG_CACHE_HOME="$state/cache" TMPDIR="$state/tmp"
export EXTENSIONS_GALLERY='{}'
dirs=(--user-data-dir "$state/user-data" --extensions-dir "$state/extensions")
"$exe" "${dirs[@]}" --install-extension "$vsix" --force >/dev/null

port="$(node -e '
const net = require("node:net");
const want = Number(process.argv[1]);
const tryPort = (p) => { const s = net.createServer(); s.once("error", () => tryPort(p + 1)); s.listen(p, "127.0.0.1", () => s.close(() => console.log(p))); };
tryPort(want);
' "${CIRCUIT_PORT:-8080}")"

# code-server gets its own process group, so stopping it ends its extension host and language server too.
set -m
"$exe" "${dirs[@]}" \
  --bind-addr "127.0.0.1:$port" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$root/examples" >"$state/code-server.log" 2>&1 &
pid=$!
set +m

stop() {
  trap - INT TERM EXIT
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping code-server"
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

url="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  if curl -sf --max-time 1 "$url/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    log "code-server stopped; its log ($state/code-server.log):"
    tail -20 "$state/code-server.log" >&2
    exit 1
  fi
  sleep 0.1
done

folder="$(node -p 'encodeURIComponent(process.argv[1])' "$root/examples")"
echo
echo "  Circuit for VS Code is ready: $url/?folder=$folder"
echo "  (code-server log: $state/code-server.log; Ctrl-C stops it)"
echo
wait "$pid" || true
