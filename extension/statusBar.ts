/** The status bar item: hosts connected and containers running; a click focuses the Anchors tree. */
import * as vscode from 'vscode';
import type { AnchorMirror } from './anchorMirror';
import type { Ctx, ServerState } from './ctx';
import { statusSummary } from './describe';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('circuit.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: Array<{ dispose(): void }> = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly mirror: AnchorMirror,
  ) {
    this.item.name = 'Circuit';
    this.item.command = 'circuit.anchors.focus';
    this.subscriptions.push(
      mirror.onDidChange(() => this.update()),
      ctx.onDidChangeState(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  private update(): void {
    const state: ServerState = this.ctx.state;
    if (state !== 'running' || !this.mirror.isLoaded) {
      this.item.text = state === 'stopped' ? '$(error) Circuit' : '$(sync~spin) Circuit';
      this.item.tooltip = state === 'stopped' ? 'The Circuit server is not running' : 'Starting the Circuit server…';
      this.item.backgroundColor = state === 'stopped' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      return;
    }
    const summary = statusSummary(this.mirror.hosts(), this.mirror.runningCount());
    this.item.text = summary.text;
    this.item.tooltip = summary.tooltip;
    this.item.backgroundColor = summary.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
