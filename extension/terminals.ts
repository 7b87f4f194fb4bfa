/**
 * The element terminals: one per anchor, reused; routes `circuit/output` and `circuit/detached` to the
 * terminal of each session; re-attaches every open terminal after a server restart, and those whose
 * host was lost once it is connected again.
 */
import * as vscode from 'vscode';
import { AttachRequest, DetachedNotification, DetachRequest, OutputNotification } from '../protocol';
import type { AnchorMirror } from './anchorMirror';
import type { Ctx } from './ctx';
import { ElementTerminal, type SessionHost } from './terminal';

type Pending = Array<{ kind: 'output'; params: OutputNotification.Params } | { kind: 'detached'; params: DetachedNotification.Params }>;

export class Terminals implements SessionHost, vscode.Disposable {
  private readonly byPath = new Map<string, { terminal: vscode.Terminal; pty: ElementTerminal }>();
  private readonly bySession = new Map<string, ElementTerminal>();
  /** Messages for sessions whose attach response has not arrived yet (the server may send output first). */
  private readonly early = new Map<string, Pending>();
  private inFlight = 0;
  private readonly subscriptions: Array<{ dispose(): void }> = [];

  constructor(
    readonly ctx: Ctx,
    mirror: AnchorMirror,
  ) {
    ctx.onNotification(OutputNotification.type, (params) => this.route({ kind: 'output', params }));
    ctx.onNotification(DetachedNotification.type, (params) => this.route({ kind: 'detached', params }));
    this.subscriptions.push(
      ctx.onDidStart(() => {
        // A new server knows none of the old sessions.
        this.bySession.clear();
        this.early.clear();
        for (const { pty } of this.byPath.values()) pty.reattach();
      }),
      mirror.onDidChange(() => {
        for (const { pty } of this.byPath.values()) {
          if (!pty.isWaitingForHost) continue;
          const host = mirror.host(pty.path.split('/')[1] ?? '');
          if (host?.connected) pty.reattach();
        }
      }),
      vscode.window.onDidCloseTerminal((closed) => {
        for (const [path, entry] of this.byPath) if (entry.terminal === closed) this.byPath.delete(path);
      }),
    );
  }

  /** Shows the anchor's terminal, opening one if there is none. */
  open(path: string): vscode.Terminal {
    const existing = this.byPath.get(path);
    if (existing !== undefined && existing.terminal.exitStatus === undefined) {
      existing.terminal.show();
      return existing.terminal;
    }
    const pty = new ElementTerminal(path, this);
    const terminal = vscode.window.createTerminal({ name: `Circuit ${path}`, pty, iconPath: new vscode.ThemeIcon('vm') });
    this.byPath.set(path, { terminal, pty });
    terminal.show();
    return terminal;
  }

  /**
   * Attaches to the terminal's element with replay. The terminal accepts the session (or not, if it was
   * closed or re-attached meanwhile) before any message that arrived early is delivered to it.
   */
  async attach(terminal: ElementTerminal, accept: (session: string) => boolean): Promise<void> {
    this.inFlight++;
    try {
      const { session } = await this.ctx.sendRequest(AttachRequest.type, { path: terminal.path, replay: true });
      const early = this.early.get(session) ?? [];
      this.early.delete(session);
      if (!accept(session)) {
        this.ctx.sendRequest(DetachRequest.type, { session }).catch(() => undefined);
        return;
      }
      this.bySession.set(session, terminal);
      for (const m of early) this.deliver(terminal, m);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.early.clear();
    }
  }

  unbind(session: string): void {
    this.bySession.delete(session);
  }

  private route(message: Pending[number]): void {
    const session = message.params.session;
    const terminal = this.bySession.get(session);
    if (terminal !== undefined) {
      this.deliver(terminal, message);
      return;
    }
    if (this.inFlight > 0) {
      const list = this.early.get(session) ?? [];
      list.push(message);
      this.early.set(session, list);
    }
  }

  private deliver(terminal: ElementTerminal, message: Pending[number]): void {
    if (message.kind === 'output') terminal.output(message.params.stream, message.params.data);
    else terminal.detached(message.params.reason);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const { terminal } of this.byPath.values()) terminal.dispose();
    this.byPath.clear();
  }
}
