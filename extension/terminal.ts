/**
 * A terminal on one element's stdio (a VS Code Pseudoterminal over `circuit/attach` with replay): stdout
 * as is, stderr in red, local line editing for the non-TTY stdin, acks for flow control, a last line with
 * the exit code. Closing it detaches without closing stdin. After a server restart, or when a lost host
 * comes back, it attaches again with replay and skips what it already showed.
 */
import * as vscode from 'vscode';
import {
  AckNotification,
  CloseStdinRequest,
  DetachRequest,
  type DetachReason,
  InputRequest,
  type OutputStream,
  SignalRequest,
  WaitRequest,
} from '../protocol';
import type { Ctx } from './ctx';
import { errorMessage, errorReason } from './errors';
import { LineEditor } from './lineEditor';
import { endLine, OutputRenderer } from './outputRenderer';

/** What a terminal needs from the registry: the server, and the routing of session messages to it. */
export interface SessionHost {
  readonly ctx: Ctx;
  /** Sends `circuit/attach` with replay; `accept` says whether the terminal still wants the session. */
  attach(terminal: ElementTerminal, accept: (session: string) => boolean): Promise<void>;
  unbind(session: string): void;
}

export class ElementTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  private readonly renderer = new OutputRenderer();
  private readonly editor = new LineEditor();
  private session: string | undefined;
  private inputs: Promise<unknown> = Promise.resolve();
  /** Set once the element is gone for good: no more re-attaching. */
  private finished = false;
  private closed = false;
  private waitingForHost = false;
  private attachRun = 0;
  /** The attach in progress (stdin writes wait for it). */
  private attaching: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly host: SessionHost,
  ) {}

  get isFinished(): boolean {
    return this.finished;
  }

  get isWaitingForHost(): boolean {
    return this.waitingForHost;
  }

  open(): void {
    this.attaching = this.attach(false);
  }

  close(): void {
    this.closed = true;
    const session = this.session;
    this.session = undefined;
    if (session !== undefined) {
      this.host.unbind(session);
      // Detach only: the container keeps running and its stdin stays open for the next terminal.
      this.host.ctx.sendRequest(DetachRequest.type, { session }).catch(() => undefined);
    }
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }

  /** The server restarted (sessions are gone) or the host is back: attach again, skipping what was shown. */
  reattach(): void {
    if (this.closed || this.finished) return;
    if (this.session !== undefined) this.host.unbind(this.session);
    this.session = undefined;
    this.attaching = this.attach(true);
  }

  handleInput(data: string): void {
    for (const action of this.editor.input(data)) {
      switch (action.kind) {
        case 'write':
          this.write(action.text);
          break;
        case 'send':
          this.send(action.text);
          break;
        case 'eof':
          this.enqueue((session) => this.host.ctx.sendRequest(CloseStdinRequest.type, { session }));
          break;
        case 'interrupt':
          this.host.ctx.sendRequest(SignalRequest.type, { path: this.path, signal: 'INT' }).catch((err) => this.note(`[interrupt failed: ${errorMessage(err)}]`));
          break;
      }
    }
  }

  /** Output of this terminal's session. */
  output(stream: OutputStream, base64: string): void {
    const bytes = Buffer.from(base64, 'base64');
    const text = this.renderer.render(stream, bytes);
    if (text !== '') this.writeEmitter.fire(this.editor.hide() + text + this.editor.show());
    const session = this.session;
    if (session !== undefined && bytes.length > 0) void this.host.ctx.sendNotification(AckNotification.type, { session, bytes: bytes.length });
  }

  /** The server ended this terminal's session. */
  detached(reason: DetachReason): void {
    if (this.session !== undefined) this.host.unbind(this.session);
    this.session = undefined;
    switch (reason) {
      case 'exited':
        void this.exited();
        break;
      case 'scrubbed':
        this.finish(endLine('scrubbed'));
        break;
      case 'host-lost':
        this.waitingForHost = true;
        this.note(endLine('host-lost'));
        break;
      case 'detached':
        break;
    }
  }

  private async attach(replayAgain: boolean): Promise<void> {
    const run = ++this.attachRun;
    if (replayAgain) this.renderer.replayFromStart();
    try {
      await this.host.attach(this, (session) => {
        if (this.closed || run !== this.attachRun) return false;
        this.waitingForHost = false;
        this.session = session;
        return true;
      });
    } catch (err) {
      if (this.closed || run !== this.attachRun) return;
      const reason = errorReason(err);
      if (reason === 'no-element' || reason === 'invalid-path' || reason === 'no-such-host') this.finish(endLine('gone'));
      else if (reason === 'host-unreachable') {
        this.waitingForHost = true;
        this.note(endLine('host-lost'));
      } else this.note(`[attach failed: ${errorMessage(err)}]`);
    }
  }

  private async exited(): Promise<void> {
    try {
      const inspect = await this.host.ctx.sendRequest(WaitRequest.type, { path: this.path });
      this.finish(endLine('exited', inspect.State.ExitCode));
    } catch {
      // Scrubbed (or gone) before its exit status could be read.
      this.finish(endLine('exited'));
    }
  }

  private send(text: string): void {
    const data = Buffer.from(text, 'utf8').toString('base64');
    this.enqueue((session) => this.host.ctx.sendRequest(InputRequest.type, { session, data }));
  }

  /** Stdin writes go one after the other, in typing order. */
  private enqueue(request: (session: string) => Promise<unknown>): void {
    this.inputs = this.inputs.then(async () => {
      await this.attaching;
      const session = this.session;
      if (session === undefined) {
        this.note(this.finished ? '[the container is gone; input not sent]' : '[not attached; input not sent]');
        return;
      }
      try {
        await request(session);
      } catch (err) {
        this.note(`[stdin: ${errorMessage(err)}]`);
      }
    });
  }

  private finish(line: string): void {
    this.finished = true;
    this.note(line);
  }

  /** A line of the terminal's own, on a line of its own. */
  private note(line: string): void {
    if (this.closed) return;
    const text = `${this.editor.hide()}${this.renderer.endsLine ? '' : '\r\n'}${line}\r\n${this.editor.show()}`;
    this.renderer.wrote(`${line}\r\n`);
    this.writeEmitter.fire(text);
  }

  private write(text: string): void {
    if (this.closed) return;
    this.renderer.wrote(text);
    this.writeEmitter.fire(text);
  }
}
