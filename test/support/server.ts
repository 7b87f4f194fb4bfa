import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type MessageConnection, StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { DidChangeNotification, type HostConfig } from '../../protocol';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'dist/server.js');

/** A real server process over stdio, with a vscode-jsonrpc client connection to it. */
export interface ServerUnderTest {
  process: ChildProcessWithoutNullStreams;
  connection: MessageConnection;
  /** Everything the server logged (window/logMessage). */
  logs: string[];
  /** Resolves with the first didChange notification naming `path` after this call. */
  nextChange(path: string, timeoutMs?: number): Promise<string[]>;
  /** Process RSS in bytes, from /proc. */
  rss(): number;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function startServer(options: { hosts?: HostConfig[]; env?: NodeJS.ProcessEnv } = {}): Promise<ServerUnderTest> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { env: { ...process.env, ...options.env }, stdio: 'pipe' });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const logs: string[] = [];
  const watchers = new Set<{ path: string; resolve: (paths: string[]) => void }>();
  connection.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  connection.onNotification(DidChangeNotification.type, ({ paths }) => {
    for (const w of [...watchers]) {
      if (paths.includes(w.path)) {
        watchers.delete(w);
        w.resolve(paths);
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => logs.push('[stderr] ' + d.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: options.hosts ? { hosts: options.hosts } : {},
  });
  await connection.sendNotification('initialized', {});
  return {
    process: child,
    connection,
    logs,
    nextChange(p, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const w = { path: p, resolve: (paths: string[]) => (clearTimeout(timer), resolve(paths)) };
        const timer = setTimeout(() => {
          watchers.delete(w);
          reject(new Error(`no circuit/didChange naming ${p} within ${timeoutMs} ms`));
        }, timeoutMs);
        watchers.add(w);
      });
    },
    rss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
    },
    async stop() {
      try {
        await withTimeout(connection.sendRequest('shutdown'), 5000);
        await connection.sendNotification('exit');
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
      connection.dispose();
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
      connection.dispose();
    },
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms))),
  ]);
}

/** Polls a condition until it holds (for state outside the protocol, e.g. the engine); never a fixed sleep. */
export async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The data.reason of a rejected request. */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return String((err as { data?: { reason?: string } }).data?.reason ?? `no reason: ${(err as Error).message}`);
  }
  throw new Error('the request succeeded, but an error was expected');
}
