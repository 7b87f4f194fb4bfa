/**
 * Wiring of container stdio: circuit/attach, circuit/output, circuit/ack, circuit/input,
 * circuit/closeStdin, circuit/detach and circuit/detached, onto sessions (session.ts) and the stdin
 * each container has on this server (stdin.ts).
 */
import { randomUUID } from 'node:crypto';
import { type CancellationToken, type Connection, LSPErrorCodes, type RequestType, ResponseError } from 'vscode-languageserver/node';
import {
  AckNotification,
  AttachRequest,
  type CircuitErrorData,
  CloseStdinRequest,
  DetachedNotification,
  DetachRequest,
  InputRequest,
  OutputNotification,
} from '../../protocol';
import { CircuitError, asCircuitError } from '../errors';
import type { Disposable } from '../emitter';
import type { Elements } from '../engine/elements';
import type { Host } from '../engine/host';
import { optionalBooleanParam, type Params, requestParams, stringParam } from '../params';
import { Session } from './session';
import { ContainerStdin } from './stdin';

/** The largest circuit/input data, base64 characters (12 MiB of bytes). */
const MAX_INPUT_BASE64 = 16 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function registerStreams(connection: Connection, elements: Elements): Disposable {
  const log = (message: string) => connection.console.log(message);
  const sessions = new Map<string, Session>();
  const stdins = new Map<string, ContainerStdin>();
  const watches = new Map<Host, Disposable>();
  const subscriptions: Disposable[] = [];

  /** Lost hosts end their sessions; an element that changed may have taken its stdin with it. */
  const watch = (host: Host) => {
    if (watches.has(host)) return;
    watches.set(
      host,
      host.onDidChange((change) => {
        if (change.kind === 'connection' && !host.connected) {
          for (const s of [...sessions.values()]) if (s.target.host === host) s.end('host-lost');
          for (const [key, stdin] of stdins) if (stdin.host === host) (stdin.dispose(), stdins.delete(key));
        } else if (change.kind === 'elements') {
          for (const [key, stdin] of stdins) {
            if (stdin.host !== host || !change.paths.includes(stdin.path)) continue;
            host.inspect(stdin.id).then(
              (inspect) => {
                if (!inspect || !inspect.State.Running) {
                  stdin.dispose();
                  if (stdins.get(key) === stdin) stdins.delete(key);
                }
              },
              () => undefined,
            );
          }
        }
      }),
    );
  };

  const sessionOf = (params: Params): Session => {
    const id = stringParam(params, 'session', 200);
    const session = sessions.get(id);
    if (!session) throw new CircuitError('no-session', `There is no stdio session ${JSON.stringify(id)} (it ended, or was never opened by this server).`, 'session');
    return session;
  };

  const stdinOf = (session: Session): ContainerStdin => {
    const { host, id, path } = session.target;
    const key = `${host.name}\0${id}`;
    let stdin = stdins.get(key);
    if (!stdin) {
      stdin = new ContainerStdin(host, id, path);
      stdins.set(key, stdin);
    }
    return stdin;
  };

  const handle = <P, R>(type: RequestType<P, R, CircuitErrorData>, serve: (params: Params) => Promise<R>) =>
    connection.onRequest(type.method, async (...args: unknown[]): Promise<R | ResponseError<CircuitErrorData>> => {
      const token = args.pop() as CancellationToken;
      try {
        return await serve(requestParams(args, type.method));
      } catch (err) {
        if (token.isCancellationRequested) return new ResponseError<CircuitErrorData>(LSPErrorCodes.RequestCancelled, `${type.method} was cancelled`);
        if (!(err instanceof CircuitError)) log(`${type.method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return asCircuitError(err).toResponseError();
      }
    });

  subscriptions.push(
    handle(AttachRequest.type, async (params) => {
      const replay = optionalBooleanParam(params, 'replay') ?? false;
      const target = await elements.resolve(params.path);
      const id = randomUUID();
      const session = new Session(
        id,
        target,
        replay,
        {
          output: (stream, data) => {
            connection.sendNotification(OutputNotification.type, { session: id, stream, data: data.toString('base64') }).catch(() => undefined);
          },
          detached: (reason) => {
            sessions.delete(id);
            connection.sendNotification(DetachedNotification.type, { session: id, reason }).catch(() => undefined);
          },
        },
        log,
      );
      try {
        await session.prepare();
      } catch (err) {
        session.end(undefined);
        throw attachError(err, target.path);
      }
      watch(target.host);
      sessions.set(id, session);
      // Output only after the answer: the reply is queued when this handler's promise settles, which
      // is before the next turn of the event loop.
      setImmediate(() => session.start());
      return { session: id };
    }),
    handle(InputRequest.type, async (params) => {
      const session = sessionOf(params);
      const data = stringParam(params, 'data', MAX_INPUT_BASE64);
      if (data.length % 4 !== 0 || !BASE64.test(data)) throw new CircuitError('invalid-params', 'data must be base64', 'data');
      await stdinOf(session).write(Buffer.from(data, 'base64'));
      return null;
    }),
    handle(CloseStdinRequest.type, async (params) => {
      await stdinOf(sessionOf(params)).close();
      return null;
    }),
    handle(DetachRequest.type, async (params) => {
      // The detached notification goes out before this answer: after it, no output of the session comes.
      sessionOf(params).end('detached');
      return null;
    }),
    connection.onNotification(AckNotification.type.method, (params: unknown) => {
      if (typeof params !== 'object' || params === null) return;
      const { session, bytes } = params as { session?: unknown; bytes?: unknown };
      if (typeof session !== 'string' || typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return;
      sessions.get(session)?.ack(bytes);
    }),
  );

  return {
    dispose() {
      for (const s of [...sessions.values()]) s.end(undefined);
      sessions.clear();
      for (const stdin of stdins.values()) stdin.dispose();
      stdins.clear();
      for (const w of watches.values()) w.dispose();
      watches.clear();
      for (const s of subscriptions) s.dispose();
    },
  };
}

/** An engine refusal of the first log read, in a user's words. */
function attachError(err: unknown, path: string): CircuitError {
  if (err instanceof CircuitError) return err;
  const status = (err as { statusCode?: number }).statusCode;
  if (status === 404) return new CircuitError('no-element', `There is no element at ${path}.`);
  if (status === 501) return new CircuitError('docker-error', `The container at ${path} logs with a driver the engine cannot read back, so its output cannot be attached to.`);
  return asCircuitError(err);
}
