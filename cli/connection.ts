/**
 * The language server as the CLI's child process: spawn `node server.js --stdio`, initialize with the
 * hosts, send requests, shut it down. The CLI is a client like the editor, never a second implementation.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type CancellationToken,
  type MessageConnection,
  type RequestType,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';
import type { CircuitErrorData, HostConfig } from '../protocol';
import { CliError } from './format';

/** How long the server may take to shut down before it is killed. */
const SHUTDOWN_MS = 5000;
/** What is kept of the server's stderr, to say why it died. */
const STDERR_TAIL = 4096;

/** The server bundle: CIRCUIT_SERVER, else server.js beside this bundle (dist/), else dist/server.js from the sources. */
export function serverPath(): string {
  const given = process.env.CIRCUIT_SERVER;
  if (given) return given;
  const beside = path.join(__dirname, 'server.js');
  if (fs.existsSync(beside)) return beside;
  return path.join(__dirname, '..', 'dist', 'server.js');
}

export class ServerConnection {
  private stderr = '';
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private closing = false;
  /** Resolves when the server process has ended. */
  readonly exited: Promise<void>;
  /** Rejects with why, once the server process has ended. */
  private readonly death: Promise<never>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly rpc: MessageConnection,
  ) {
    child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.exitStatus = { code, signal };
        resolve();
      });
    });
    this.death = this.exited.then(() => {
      throw this.deathError();
    });
    this.death.catch(() => undefined);
    // Requests of the server to its client that a command-line client has no use for.
    rpc.onRequest('client/registerCapability', () => null);
    rpc.onRequest('client/unregisterCapability', () => null);
    rpc.onRequest('window/workDoneProgress/create', () => null);
    rpc.onRequest('workspace/configuration', (params: { items?: unknown[] }) => (params.items ?? []).map(() => null));
    rpc.onNotification('window/logMessage', () => undefined);
    rpc.onNotification('window/showMessage', () => undefined);
    rpc.onNotification('textDocument/publishDiagnostics', () => undefined);
    rpc.onNotification('circuit/didChange', () => undefined);
  }

  /** Starts the server and initializes it with these hosts (none: the server's default host). */
  static async start(hosts: HostConfig[] | undefined): Promise<ServerConnection> {
    const script = serverPath();
    if (!fs.existsSync(script)) throw new CliError('no-server', `The language server is not at ${script}; build it with \`npm run build\` or set CIRCUIT_SERVER.`);
    // Its own process group: a Ctrl-C at the terminal reaches the CLI, which then ends the server in order.
    const child = spawn(process.execPath, [script, '--stdio'], { stdio: 'pipe', detached: true }) as ChildProcessWithoutNullStreams;
    const rpc = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const server = new ServerConnection(child, rpc);
    child.stdin.on('error', () => undefined);
    rpc.listen();
    await server.call(
      rpc.sendRequest('initialize', {
        processId: process.pid,
        clientInfo: { name: 'circuit-cli' },
        rootUri: null,
        capabilities: {},
        ...(hosts ? { initializationOptions: { hosts } } : {}),
      }),
    );
    await rpc.sendNotification('initialized', {});
    return server;
  }

  /** A Circuit request; fails with the server's error response, or with no-server if the server died. */
  request<P, R>(type: RequestType<P, R, CircuitErrorData>, params: P, token?: CancellationToken): Promise<R> {
    // By method name: the typed overloads do not take a generic P. One object goes by name, as the server wants.
    return this.call(token ? this.rpc.sendRequest<R>(type.method, params, token) : this.rpc.sendRequest<R>(type.method, params));
  }

  /** shutdown, exit, and wait for the process to end (killed if it does not). */
  async close(): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    if (this.exitStatus === undefined) {
      try {
        await within(this.rpc.sendRequest('shutdown'), SHUTDOWN_MS);
        await this.rpc.sendNotification('exit');
      } catch {
        this.child.kill('SIGKILL');
      }
      const timer = setTimeout(() => this.child.kill('SIGKILL'), SHUTDOWN_MS);
      await this.exited;
      clearTimeout(timer);
    }
    this.rpc.dispose();
  }

  private call<T>(request: Promise<T>): Promise<T> {
    return Promise.race([request, this.death]);
  }

  private deathError(): CliError {
    const status = this.exitStatus;
    const how = status?.signal ? `was killed by ${status.signal}` : `exited with status ${status?.code ?? '?'}`;
    const last = this.stderr.trim().split('\n').pop();
    return new CliError('no-server', `The language server ${how}${last ? `: ${last}` : ''}`);
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms))),
  ]);
}
