#!/usr/bin/env bash
# Installs code-server (a real VS Code: workbench in the browser, extension host in Node) into a cache
# folder outside the repository, for `npm start` and the end-to-end tests. Prints the path of the
# code-server executable on stdout; everything else goes to stderr.
#
#   bash scripts/install-code-server.sh            # install if missing, print the executable
#   CIRCUIT_CACHE=/some/dir bash scripts/...       # another cache folder
#
# code-server 4.100.3 is VS Code 1.100.3, the newest whose engines accept Node 20. It is never a
# dependency of the project (~300 MB, native builds). Pitfalls handled here (see docs/extension.md):
# - @vscode/ripgrep's postinstall downloads rg from GitHub: its download cache is seeded with Debian's rg.
# - npm 11 blocks dependency install scripts unless allowed; code-server's need to build native modules.
# - npm's `yes = false` makes node-pty's `npx node-gyp` abort: npm_config_yes=true.
# - as root, code-server's postinstall demands npm_config_unsafe_perm=true.
# - native modules build from source: gcc, make, python3 and libkrb5-dev.
# With --browser, also makes sure Chromium is there (the end-to-end tests drive it).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.100.3
RIPGREP_PKG=1.15.11      # the @vscode/ripgrep that code-server 4.100.3's shrinkwrap pins
RIPGREP_ASSET=v13.0.0-10 # the ripgrep release that package downloads

log() { echo "[code-server] $*" >&2; }

want_browser=false
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=true ;;
    *) log "unknown argument: $arg"; exit 2 ;;
  esac
done

cache="${CIRCUIT_CACHE:-$HOME/.cache/circuit-vscode}"
dir="$cache/code-server-$VERSION"
exe="$dir/node_modules/.bin/code-server"

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  log "code-server $VERSION needs Node 20; this is Node $(node --version)."
  exit 1
fi

# shellcheck source=scripts/apt.sh
. scripts/apt.sh

missing=()
if $want_browser && ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if [ ! -x "$exe" ] || [ ! -f "$dir/.complete" ]; then
  command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
  [ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
fi
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

if [ -x "$exe" ] && [ -f "$dir/.complete" ]; then
  echo "$exe"
  exit 0
fi

mkdir -p "$cache"
# One installer at a time (npm start and the tests may start together).
exec 9>"$cache/.install-lock"
flock 9
if [ -x "$exe" ] && [ -f "$dir/.complete" ]; then
  echo "$exe"
  exit 0
fi

started=$(date +%s)
log "installing code-server $VERSION into $dir (once; about a minute)"
rm -rf "$dir"
mkdir -p "$dir/tmp"

case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) rg_target=aarch64-unknown-linux-musl ;;
  *) rg_target="" ;;
esac
if [ -n "$rg_target" ]; then
  seed="$dir/tmp/vscode-ripgrep-cache-$RIPGREP_PKG"
  mkdir -p "$seed/rg"
  cp "$(command -v rg)" "$seed/rg/rg"
  tar -czf "$seed/ripgrep-$RIPGREP_ASSET-$rg_target.tar.gz" -C "$seed/rg" rg
  rm -rf "$seed/rg"
fi

cat >"$dir/package.json" <<EOF
{ "name": "circuit-code-server", "private": true, "dependencies": { "code-server": "$VERSION" } }
EOF

(
  cd "$dir"
  export TMPDIR="$dir/tmp"
  export npm_config_yes=true
  export npm_config_unsafe_perm=true
  export npm_config_dangerously_allow_all_scripts=true
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  npm install --omit=dev --no-package-lock --foreground-scripts >"$dir/install.log" 2>&1
) || {
  log "npm install failed; the last lines of $dir/install.log:"
  tail -30 "$dir/install.log" >&2
  exit 1
}

if [ ! -x "$exe" ] || [ ! -d "$dir/node_modules/code-server/lib/vscode/node_modules" ]; then
  log "code-server's postinstall did not complete; see $dir/install.log"
  exit 1
fi
rm -rf "$dir/tmp"
touch "$dir/.complete"
log "installed in $(($(date +%s) - started)) s"
echo "$exe"
