/**
 * Activation and the command table. The extension is a thin client: everything about Docker goes through
 * the language server's protocol (protocol/index.ts).
 */
import * as vscode from 'vscode';
import { DidChangeNotification, HostsRequest, ViewRequest } from '../protocol';
import { AnchorMirror } from './anchorMirror';
import { AnchorTree } from './anchorTree';
import { copyContainerId, copyPath } from './commands/copy';
import { make, makeHere } from './commands/make';
import { openTerminal } from './commands/openTerminal';
import { peek, refreshPeek } from './commands/peek';
import { scrub } from './commands/scrub';
import { refresh, restartServer, showServerOutput } from './commands/server';
import { signal } from './commands/signal';
import { wait } from './commands/wait';
import { Config } from './config';
import { Ctx } from './ctx';
import { connectionProblem } from './describe';
import { PeekDocuments } from './peekDocuments';
import type { CommandFactory, Services } from './services';
import { StatusBar } from './statusBar';
import { Terminals } from './terminals';

/** Command id → implementation. The ids and titles are contributed in package.json (category "Circuit"). */
const commands: Record<string, CommandFactory> = {
  'circuit.make': make,
  'circuit.makeHere': makeHere,
  'circuit.peek': peek,
  'circuit.refreshPeek': refreshPeek,
  'circuit.wait': wait,
  'circuit.signal': signal,
  'circuit.scrub': scrub,
  'circuit.openTerminal': openTerminal,
  'circuit.copyPath': copyPath,
  'circuit.copyContainerId': copyContainerId,
  'circuit.refresh': refresh,
  'circuit.restartServer': restartServer,
  'circuit.showServerOutput': showServerOutput,
};

let ctxForDeactivate: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const ctx = new Ctx(context, new Config());
  ctxForDeactivate = ctx;
  const mirror = new AnchorMirror({
    hosts: () => ctx.sendRequest(HostsRequest.type, {}),
    view: (path) => ctx.sendRequest(ViewRequest.type, { path }),
  });
  const tree = new AnchorTree(mirror, () => ctx.state !== 'stopped');
  const treeView = vscode.window.createTreeView('circuit.anchors', { treeDataProvider: tree, showCollapseAll: true });
  const peeks = new PeekDocuments(ctx, mirror);
  const terminals = new Terminals(ctx, mirror);
  const statusBar = new StatusBar(ctx, mirror);
  context.subscriptions.push(ctx, tree, treeView, peeks, terminals, statusBar);

  const services: Services = { context, ctx, mirror, tree, treeView, peeks, terminals };
  for (const [id, factory] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(services)));
  }

  // The welcome view (package.json viewsWelcome) picks its text by these context keys.
  const showConnection = (): void => {
    const state = ctx.state !== 'running' ? ctx.state : mirror.hosts().some((h) => h.connected) ? 'connected' : 'disconnected';
    void vscode.commands.executeCommand('setContext', 'circuit.connection', state);
    void vscode.commands.executeCommand('setContext', 'circuit.connectionProblem', connectionProblem(mirror.hosts()) ?? '');
  };
  context.subscriptions.push(
    mirror.onDidChange(showConnection),
    ctx.onDidChangeState((state) => {
      showConnection();
      if (state === 'stopped') tree.refreshAll();
    }),
  );
  showConnection();

  ctx.onNotification(DidChangeNotification.type, (params) => void mirror.changed(params.paths));
  context.subscriptions.push(
    // Each new server (start, crash, Restart Server) is a new view of the engines: load it whole.
    ctx.onDidStart(() => void mirror.reload()),
  );
  await ctx.start();
}

export async function deactivate(): Promise<void> {
  await ctxForDeactivate?.stop();
}
