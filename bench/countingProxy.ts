import * as fs from 'node:fs';
import * as net from 'node:net';

/** One HTTP request a client made to the engine. */
export interface EngineCall {
  at: number;
  method: string;
  /** The path without its query, ids replaced by {id}. */
  path: string;
}

const REQUEST_LINE = /(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD) (\/[^ ?\r\n]*)\S* HTTP\/1\.[01]\r\n/g;

/**
 * A unix-socket proxy between a client and a Docker Engine that counts the client's API calls: every
 * HTTP request line the client sends, on any connection (keep-alive included). Bytes pass through as
 * they are.
 */
export class CountingProxy {
  readonly calls: EngineCall[] = [];
  private readonly server: net.Server;
  private readonly connections = new Set<net.Socket>();

  constructor(private readonly target: string, readonly socket: string) {
    this.server = net.createServer((client) => this.relay(client));
  }

  get endpoint(): string {
    return `unix://${this.socket}`;
  }

  listen(): Promise<void> {
    fs.rmSync(this.socket, { force: true });
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.socket, () => resolve());
    });
  }

  /** The calls made since `since` (a time from Date.now()). */
  callsSince(since: number): EngineCall[] {
    return this.calls.filter((c) => c.at >= since);
  }

  close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.target);
    this.connections.add(client).add(upstream);
    let carry = '';
    client.on('data', (chunk: Buffer) => {
      const text = carry + chunk.toString('latin1');
      for (const m of text.matchAll(REQUEST_LINE)) {
        // A request line that was already counted at the end of the last chunk is in `carry`: skip it.
        if (m.index + m[0].length <= carry.length) continue;
        this.calls.push({ at: Date.now(), method: m[1], path: m[2].replace(/[0-9a-f]{64}/g, '{id}') });
      }
      carry = text.slice(-512);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.connections.delete(client);
      this.connections.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }
}
