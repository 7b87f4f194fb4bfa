/**
 * The language client's lifecycle: start `node dist/server.js --stdio`, restart it when it crashes (the
 * client library's default policy: up to 5 crashes in 3 minutes), rebuild it on Restart Server, and tell
 * the rest of the extension each time a server is ready, so the tree reloads and terminals re-attach.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import type { NotificationType, RequestParam, RequestType } from 'vscode-languageserver-protocol';
import type { Config } from './config';
import { section } from './config';

export type ServerState = 'starting' | 'running' | 'stopped';

type NotificationHandler = { type: NotificationType<unknown>; handler: (params: unknown) => void };

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private running: LanguageClient | undefined;
  private readonly handlers: NotificationHandler[] = [];
  private readonly didStart = new vscode.EventEmitter<void>();
  private readonly didChangeState = new vscode.EventEmitter<ServerState>();
  private stateNow: ServerState = 'stopped';
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires each time a server is up and initialized: at start, after a crash, after Restart Server. */
  readonly onDidStart = this.didStart.event;
  readonly onDidChangeState = this.didChangeState.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly config: Config,
  ) {
    this.output = vscode.window.createOutputChannel('Circuit', { log: true });
    this.disposables.push(this.output, this.didStart, this.didChangeState);
  }

  get state(): ServerState {
    return this.stateNow;
  }

  /** Registers a handler for a server notification; it stays across restarts. */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): void {
    const entry: NotificationHandler = { type: type as NotificationType<unknown>, handler: handler as (params: unknown) => void };
    this.handlers.push(entry);
    this.client?.onNotification(entry.type, entry.handler);
  }

  /** Sends a request to the running server; fails with a user-facing message when there is none. */
  async sendRequest<P, R, E>(type: RequestType<P, R, E>, params: P, token?: vscode.CancellationToken): Promise<R> {
    const client = this.running;
    if (client === undefined) throw new Error(this.stateNow === 'starting' ? 'The Circuit server is still starting.' : 'The Circuit server is not running. Run "Circuit: Restart Server".');
    return client.sendRequest(type, params as RequestParam<P>, token);
  }

  async sendNotification<P>(type: NotificationType<P>, params: P): Promise<void> {
    await this.running?.sendNotification(type, params as RequestParam<P>);
  }

  async start(): Promise<void> {
    if (this.client === undefined) this.client = this.createClient();
    try {
      await this.client.start();
    } catch (err) {
      this.setState('stopped');
      const message = err instanceof Error ? err.message : String(err);
      this.output.error(`The Circuit server did not start: ${message}`);
      void vscode.window.showErrorMessage(`The Circuit server did not start: ${message}`, 'Show Output').then((pick) => {
        if (pick !== undefined) this.output.show();
      });
    }
  }

  /** Restart Server: restarts a live client, or builds a new one when the old one gave up. */
  async restart(): Promise<void> {
    const client = this.client;
    if (client !== undefined && client.state !== State.Stopped) {
      await client.restart();
      return;
    }
    this.client = undefined;
    this.running = undefined;
    if (client !== undefined) await client.dispose().catch(() => undefined);
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.running = undefined;
    if (client !== undefined) await client.dispose(2000).catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
  }

  private setState(state: ServerState): void {
    if (this.stateNow === state) return;
    this.stateNow = state;
    void vscode.commands.executeCommand('setContext', 'circuit.serverState', state);
    this.didChangeState.fire(state);
  }

  private createClient(): LanguageClient {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    // The Node that runs the extension host runs the server too; the client appends --stdio.
    const run = { command: process.execPath, args: [serverModule], transport: TransportKind.stdio, options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } } };
    const serverOptions: ServerOptions = { run, debug: run };

    let fallback: ErrorHandler | undefined;
    const output = this.output;
    const errorHandler: ErrorHandler = {
      error: (error: Error, message: Message | undefined, count: number | undefined): ErrorHandlerResult | Promise<ErrorHandlerResult> =>
        fallback!.error(error, message, count),
      closed: async (): Promise<CloseHandlerResult> => {
        const result = await fallback!.closed();
        if (result.action === CloseAction.Restart) output.warn('The Circuit server stopped unexpectedly; restarting it.');
        return result;
      },
    };

    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { language: 'circuit-run', scheme: 'file' },
        { language: 'circuit-run', scheme: 'untitled' },
      ],
      initializationOptions: this.config.serverSettings,
      synchronize: { configurationSection: section },
      outputChannel: this.output,
      errorHandler,
    };
    const client = new LanguageClient('circuit', 'Circuit', serverOptions, clientOptions);
    fallback = client.createDefaultErrorHandler(4);
    for (const h of this.handlers) client.onNotification(h.type, h.handler);
    this.disposables.push(
      client.onDidChangeState((e) => {
        if (this.client !== client) return;
        if (e.newState === State.Running) {
          this.running = client;
          this.setState('running');
          this.didStart.fire();
        } else {
          this.running = undefined;
          this.setState(e.newState === State.Starting ? 'starting' : 'stopped');
        }
      }),
    );
    return client;
  }
}
