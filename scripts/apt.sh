# Sourced by the scripts that install what the project needs on a fresh Debian machine.
# apt_install PACKAGE...: installs with apt-get, as root on Debian only (elsewhere: says what is missing
# and exits 1); refreshes the package lists first when they are older than a day or absent.
# Expects the caller's log function.
apt_install() {
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    log "missing: $*. Install them with your package manager, then try again."
    exit 1
  fi
  log "installing $* with apt-get (once; about a minute)"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
