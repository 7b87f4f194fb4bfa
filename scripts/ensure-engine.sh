#!/usr/bin/env bash
# Makes sure a Docker Engine answers, for `npm test`, `npm start` and `npm run bench`.
#
# - DOCKER_HOST, else /var/run/docker.sock: if it answers, done.
# - Otherwise, as root on Debian: installs docker.io and busybox-static with apt when missing, starts
#   dockerd in the background (log: /var/log/circuit-dockerd.log) and waits until it answers.
# - Otherwise: fails with a message on how to start Docker.
# Then imports the local busybox image the tests and the demo use (no registry is reachable here).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[engine] $*" >&2; }

endpoint="${DOCKER_HOST:-unix:///var/run/docker.sock}"

answers() {
  case "$endpoint" in
    unix://*) curl -sf --max-time 2 --unix-socket "${endpoint#unix://}" http://localhost/_ping >/dev/null 2>&1 ;;
    tcp://*) curl -sf --max-time 2 "http://${endpoint#tcp://}/_ping" >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

# shellcheck source=scripts/apt.sh
. scripts/apt.sh

if ! answers; then
  if [ -n "${DOCKER_HOST:-}" ] && [ "$endpoint" != "unix:///var/run/docker.sock" ]; then
    log "DOCKER_HOST=$DOCKER_HOST does not answer. Start that engine, or unset DOCKER_HOST to use the local one."
    exit 1
  fi
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    log "No Docker Engine answers at /var/run/docker.sock."
    log "Start Docker (e.g. 'sudo systemctl start docker'), or set DOCKER_HOST to a running engine, then try again."
    exit 1
  fi
  missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  log "starting dockerd in the background (log: /var/log/circuit-dockerd.log)"
  setsid dockerd >>/var/log/circuit-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 300); do
    answers && break
    sleep 0.1
  done
  if ! answers; then
    log "dockerd did not answer within 30 s; see /var/log/circuit-dockerd.log:"
    tail -20 /var/log/circuit-dockerd.log >&2 || true
    exit 1
  fi
  log "dockerd is up"
fi

if [ ! -x /bin/busybox ] || ! /bin/busybox --list 2>/dev/null | grep -qx yes; then
  apt_install busybox-static
fi

node scripts/image.mjs
