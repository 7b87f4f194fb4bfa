/**
 * Make Container…: from the active `*.circuit.json` (or one picked in the workspace, or the URI the
 * CodeLens passes), ask the anchor path, make it, reveal it in the tree. Spec errors block it with the
 * diagnostics shown. Make Container Here… does the same below a host or anchor of the tree.
 * Disabled in Restricted Mode: a workspace's spec must not start containers before it is trusted.
 */
import * as vscode from 'vscode';
import { MakeRequest } from '../../protocol';
import { nameFromSpecFile, parentPath } from '../anchorPath';
import { elementDescription } from '../describe';
import { errorMessage, errorReason } from '../errors';
import { parseRunSpec } from '../runSpec';
import type { CommandFactory, Services } from '../services';
import { askAnchorPath } from './askAnchorPath';

const lastHostKey = 'circuit.lastMakeHost';

export const make: CommandFactory = (s) => (arg: unknown) => makeFrom(s, arg, undefined);

export const makeHere: CommandFactory = (s) => (arg: unknown) => {
  const below = typeof arg === 'string' && arg.startsWith('/') ? arg : s.treeView.selection[0];
  return makeFrom(s, undefined, below);
};

async function makeFrom(s: Services, specArg: unknown, below: string | undefined): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Circuit: Make Container is disabled in Restricted Mode. Trust this workspace to make containers from its specs.');
    return;
  }
  const doc = await specDocument(specArg);
  if (doc === undefined) return;

  const errors = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  const firstError = errors[0];
  if (firstError !== undefined) {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    void vscode.window.showErrorMessage(
      `Circuit: fix the spec first. ${firstError.message} (line ${firstError.range.start.line + 1})${more}.`,
    );
    return;
  }
  const parsed = parseRunSpec(doc.getText());
  if ('problem' in parsed) {
    void vscode.window.showErrorMessage(`Circuit: ${parsed.problem}.`);
    return;
  }

  await s.mirror.loaded();
  const path = await askAnchorPath(s.mirror, defaultPath(s, doc, below), `Make Container from ${doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1)}`);
  if (path === undefined) return;

  try {
    const element = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Making ${path}…` },
      () => s.ctx.sendRequest(MakeRequest.type, { path, run: parsed.run }),
    );
    void s.context.workspaceState.update(lastHostKey, path.split('/')[1]);
    // The didChange notification may still be on its way: bring the path's ancestors in line first.
    await s.mirror.changed(ancestors(path));
    await s.treeView.reveal(path, { select: true, focus: false, expand: true }).then(undefined, () => undefined);
    vscode.window.setStatusBarMessage(`Circuit: made ${path} (${elementDescription(element, Date.now())})`, 5000);
  } catch (err) {
    const reason = errorReason(err);
    if (reason === 'invalid-run') {
      const pick = await vscode.window.showErrorMessage(`Circuit: the spec is not a valid Run: ${errorMessage(err)}`, 'Open Spec');
      if (pick !== undefined) await vscode.window.showTextDocument(doc);
      return;
    }
    void vscode.window.showErrorMessage(`Circuit: make ${path}: ${errorMessage(err)}`);
  }
}

/** The spec to make from: the URI given, else the active spec editor, else one picked from the workspace. */
async function specDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  if (typeof arg === 'string' && arg.length > 0) return vscode.workspace.openTextDocument(vscode.Uri.parse(arg));
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'circuit-run') return active;
  const files = await vscode.workspace.findFiles('**/*.circuit.json', '**/node_modules/**', 500);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Circuit: no *.circuit.json spec in this workspace. Create one (a Run spec: {"Image": "...", "Path": "...", "Args": [...]}) and try again.');
    return undefined;
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const pick = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Make Container: pick a Run spec', placeHolder: '*.circuit.json' },
  );
  return pick === undefined ? undefined : vscode.workspace.openTextDocument(pick.uri);
}

/** `/<host>/<spec name>`, or below the tree item; the host last used for make, else the first connected. */
function defaultPath(s: Services, doc: vscode.TextDocument, below: string | undefined): string {
  const name = nameFromSpecFile(doc.uri.path);
  let dir = below;
  if (dir === undefined) {
    const hosts = s.mirror.hosts().filter((h) => h.connected);
    const last = s.context.workspaceState.get<string>(lastHostKey);
    const host = hosts.find((h) => h.name === last) ?? hosts[0];
    dir = `/${host?.name ?? 'local'}`;
  }
  let candidate = `${dir}/${name}`;
  for (let i = 2; s.mirror.anchor(candidate)?.element && i < 100; i++) candidate = `${dir}/${name}-${i}`;
  return candidate;
}

/** The path and its ancestors below the host, deepest last: `/h/a`, `/h/a/b`. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = path; p.lastIndexOf('/') > 0; p = parentPath(p)) out.unshift(p);
  return out;
}
