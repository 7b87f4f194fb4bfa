import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { SERVER } from './server';

/** A JSON-RPC response as it came over the wire, with its size. */
export interface RawResponse {
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string; data?: { reason?: string; field?: string } };
  /** The size of the response body in bytes. */
  bytes: number;
}

/**
 * A client that writes the server's stdin byte for byte, for the bad-input tests: params that no typed
 * client would send (absent, null, a string, by position), malformed frames and bodies. Responses are
 * matched by id; notifications and server-to-client requests are ignored.
 */
export class RawClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stderr: string[] = [];
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number | string, (response: RawResponse) => void>();
  private readonly exited: Promise<number | null>;

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { env: { ...process.env, ...env }, stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async initialize(initializationOptions: unknown = {}): Promise<void> {
    const response = await this.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
    if (response.error) throw new Error(`initialize failed: ${response.error.message}`);
    this.notify('initialized', {});
  }

  /** Sends a request; `params` absent when the argument is left out (undefined is not sent). */
  request(method: unknown, ...params: [unknown?]): Promise<RawResponse> {
    const id = this.nextId++;
    const message: Record<string, unknown> = { jsonrpc: '2.0', id, method };
    if (params.length > 0) message.params = params[0];
    return this.send(id, JSON.stringify(message));
  }

  /** Sends a body as given (it may be anything) and waits for the response with that id. */
  send(id: number | string, body: string | Buffer): Promise<RawResponse> {
    const answer = new Promise<RawResponse>((resolve) => this.pending.set(id, resolve));
    this.frame(body);
    return answer;
  }

  notify(method: string, params: unknown): void {
    this.frame(JSON.stringify({ jsonrpc: '2.0', method, params }));
  }

  /** Writes one well-framed message with any body. */
  frame(body: string | Buffer): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.child.stdin.write(`Content-Length: ${bytes.length}\r\n\r\n`);
    this.child.stdin.write(bytes);
  }

  /** Writes raw bytes, framing and all. */
  write(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const header = this.buffer.subarray(0, end).toString('ascii');
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (!Number.isFinite(length)) throw new Error(`the server sent a frame without Content-Length: ${header}`);
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length);
      this.buffer = this.buffer.subarray(end + 4 + length);
      const message = JSON.parse(body.toString('utf8')) as { id?: number | string | null; method?: string };
      if (message.method !== undefined || message.id === undefined || message.id === null) continue;
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.({ ...(message as RawResponse), bytes: body.length });
    }
  }
}
