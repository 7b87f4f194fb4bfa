import {
  type CancellationToken,
  type Connection,
  type InitializeResult,
  LSPErrorCodes,
  ResponseError,
  type RequestType,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  type CircuitErrorData,
  type CircuitSettings,
  DidChangeNotification,
  HostsRequest,
  MakeRequest,
  PeekRequest,
  ScrubRequest,
  SignalRequest,
  ViewRequest,
  WaitRequest,
} from '../protocol';
import { CircuitError, asCircuitError } from './errors';
import { Elements } from './engine/elements';
import { readHosts } from './engine/hostConfig';
import { Hosts } from './engine/hosts';
import { requestParams } from './params';
import { registerSpecLanguage, specCapabilities } from './spec/register';
import { registerStreams } from './streams/register';

/** How long changes are gathered into one circuit/didChange (well under the 100 ms promised). */
const DID_CHANGE_WINDOW_MS = 5;
/** How long shutdown waits for exits under way to be finished (Scrub removals). */
const SHUTDOWN_SETTLE_MS = 5000;

/**
 * Wiring only: maps LSP and Circuit messages to the services, and failures to error responses.
 */
export function startServer(connection: Connection): { hosts: Hosts; elements: Elements } {
  const log = (message: string) => connection.console.log(message);
  const hosts = new Hosts(log);
  const elements = new Elements(hosts, log);
  const documents = new TextDocuments(TextDocument);
  let pullConfiguration = false;

  const configure = (settings: CircuitSettings | undefined) => {
    const { hosts: endpoints, problems } = readHosts(settings?.hosts);
    for (const p of problems) connection.console.warn(p);
    hosts.configure(endpoints);
  };

  connection.onInitialize((params): InitializeResult => {
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    configure(settingsOf(params.initializationOptions));
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, ...specCapabilities },
      serverInfo: { name: 'circuit-language-server', version: '0.1.0' },
    };
  });

  connection.onDidChangeConfiguration(async (change) => {
    const pushed = settingsOf((change.settings as { circuit?: unknown } | null)?.circuit);
    if (pushed) return configure(pushed);
    if (pullConfiguration) configure(settingsOf(await connection.workspace.getConfiguration('circuit')));
  });

  // didChange: gather the anchors that changed for a few milliseconds, then tell the client once.
  const changed = new Set<string>();
  let flush: NodeJS.Timeout | undefined;
  const report = (paths: readonly string[]) => {
    for (const p of paths) changed.add(p);
    flush ??= setTimeout(() => {
      flush = undefined;
      const paths = [...changed];
      changed.clear();
      void connection.sendNotification(DidChangeNotification.type, { paths });
    }, DID_CHANGE_WINDOW_MS);
  };
  hosts.onDidChange((e) => {
    if ('host' in e) {
      if (e.change.kind === 'elements') report(e.change.paths);
      else if (e.change.kind === 'connection') report(['/', '/' + e.host.name]);
    } else report(['/']);
  });

  const handle = <P, R>(type: RequestType<P, R, CircuitErrorData>, serve: (params: Record<string, unknown>, token: CancellationToken) => Promise<R> | R) =>
    // vscode-jsonrpc passes the params spread out (none when absent), then the cancellation token.
    connection.onRequest(type.method, async (...args: unknown[]): Promise<R | ResponseError<CircuitErrorData>> => {
      const token = args.pop() as CancellationToken;
      try {
        return await serve(requestParams(args, type.method), token);
      } catch (err) {
        if (token.isCancellationRequested) return new ResponseError<CircuitErrorData>(LSPErrorCodes.RequestCancelled, `${type.method} was cancelled`);
        const error = asCircuitError(err);
        if (!(err instanceof CircuitError)) log(`${type.method} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return error.toResponseError();
      }
    });

  handle(HostsRequest.type, async () => {
    await Promise.all(hosts.all.map((h) => h.settled()));
    return { hosts: hosts.all.map((h) => h.status) };
  });
  handle(ViewRequest.type, (p) => elements.view(p.path));
  handle(MakeRequest.type, (p) => elements.make(p.path, p.run));
  handle(PeekRequest.type, (p) => elements.peek(p.path));
  handle(WaitRequest.type, (p, token) => elements.wait(p.path, (cancel) => token.onCancellationRequested(cancel)));
  handle(SignalRequest.type, (p) => elements.signal(p.path, p.signal));
  handle(ScrubRequest.type, (p) => elements.scrub(p.path));

  const specLanguage = registerSpecLanguage(connection, documents, () => hosts.all, () => elements.targetHost);
  hosts.onDidChange((e) => {
    if (!('host' in e)) specLanguage.hostsChanged();
  });
  const streams = registerStreams(connection, elements);

  connection.onShutdown(async () => {
    await elements.settle(SHUTDOWN_SETTLE_MS);
    streams.dispose();
    elements.dispose();
    hosts.dispose();
  });

  documents.listen(connection);
  return { hosts, elements };
}

/** The `circuit` settings from initializationOptions or a configuration, when they hold any. */
function settingsOf(value: unknown): CircuitSettings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return value as CircuitSettings;
}
