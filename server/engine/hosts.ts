import type { Disposable } from '../emitter';
import { Emitter } from '../emitter';
import { CircuitError } from '../errors';
import { quote } from '../params';
import { Host, type ElementUpdate, type HostChange } from './host';
import { sameEndpoint, type HostEndpoint } from './hostConfig';

/** A change on one host, with the host. */
export interface HostsChange {
  host: Host;
  change: HostChange;
}

/**
 * The configured hosts. Reconfiguring keeps the connections of hosts that did not change and reports
 * `/` so clients re-read the list.
 */
export class Hosts {
  private readonly byName = new Map<string, { host: Host; subscriptions: Disposable[] }>();
  private readonly changes = new Emitter<HostsChange | { kind: 'hosts' }>();
  private readonly updates = new Emitter<{ host: Host; update: ElementUpdate }>();

  constructor(private readonly log: (message: string) => void) {}

  get all(): Host[] {
    return [...this.byName.values()].map((e) => e.host);
  }

  /** The host of that name, or no-such-host. */
  get(name: string): Host {
    const entry = this.byName.get(name);
    if (!entry) {
      const names = [...this.byName.keys()].map((n) => '/' + n).join(', ');
      throw new CircuitError('no-such-host', `There is no host ${quote(name)}; the configured hosts are ${names || 'none'}.`, 'path');
    }
    return entry.host;
  }

  configure(endpoints: readonly HostEndpoint[]): void {
    const wanted = new Map(endpoints.map((e) => [e.name, e]));
    let changed = false;
    for (const [name, entry] of this.byName) {
      const next = wanted.get(name);
      if (next && sameEndpoint(next, entry.host.endpoint)) continue;
      entry.subscriptions.forEach((s) => s.dispose());
      entry.host.dispose();
      this.byName.delete(name);
      changed = true;
    }
    for (const endpoint of endpoints) {
      if (this.byName.has(endpoint.name)) continue;
      const host = new Host(endpoint, this.log);
      const subscriptions = [
        host.onDidChange((change) => this.changes.fire({ host, change })),
        host.onElement((update) => this.updates.fire({ host, update })),
      ];
      this.byName.set(endpoint.name, { host, subscriptions });
      changed = true;
    }
    if (changed) this.changes.fire({ kind: 'hosts' });
  }

  onDidChange(listener: (change: HostsChange | { kind: 'hosts' }) => void): Disposable {
    return this.changes.on(listener);
  }

  onElement(listener: (e: { host: Host; update: ElementUpdate }) => void): Disposable {
    return this.updates.on(listener);
  }

  dispose(): void {
    this.configure([]);
    this.changes.dispose();
    this.updates.dispose();
  }
}
