// docker-modem loads ssh2 for ssh:// endpoints, which Circuit does not offer (unix:// and tcp:// only).
// The bundles alias ssh2 to this stub so they carry no native modules.
class Client {
  constructor() {
    throw new Error('ssh:// Docker endpoints are not supported; use unix:// or tcp://');
  }
}
module.exports = { Client };
