/**
 * The anchor path input of Make Container: a quick pick whose first row is the path as typed, checked as
 * the user types (the server's rules, plus busy anchors and disconnected hosts), followed by existing
 * anchors below the typed parent. Picking an existing anchor fills it in; Enter on a valid path accepts.
 */
import * as vscode from 'vscode';
import { anchorSuggestions, makePathProblem } from '../anchorPath';
import { elementDescription } from '../describe';
import type { AnchorMirror } from '../anchorMirror';

interface PathItem extends vscode.QuickPickItem {
  /** The typed path when valid (the first row). */
  accept?: string;
  /** An existing anchor offered while typing. */
  anchor?: string;
}

export function askAnchorPath(mirror: AnchorMirror, initial: string, title: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<PathItem>();
    qp.title = title;
    qp.placeholder = 'Anchor path, e.g. /local/app/web';
    qp.ignoreFocusOut = true;
    qp.value = initial;
    let done = false;

    const update = (): void => {
      const value = qp.value.trim();
      const now = Date.now();
      const problem = makePathProblem(value, { hosts: mirror.hosts(), anchor: (p) => mirror.anchor(p) }, now);
      const existing = mirror.anchor(value);
      const first: PathItem =
        problem === undefined
          ? {
              label: `$(add) ${value}`,
              description: existing === undefined ? 'new anchor' : 'existing anchor, no element yet',
              detail: 'Press Enter to make the container here',
              accept: value,
              alwaysShow: true,
            }
          : { label: `$(error) ${value === '' ? '…' : value}`, detail: problem, alwaysShow: true };
      const offered = anchorSuggestions(value, mirror.allPaths()).map((p): PathItem => {
        const a = mirror.anchor(p);
        const description = a?.element ? `${elementDescription(a.element, now)} — pick to make below it` : 'anchor';
        return { label: p, description, anchor: p, alwaysShow: true };
      });
      qp.items = offered.length === 0 ? [first] : [first, { label: 'existing anchors', kind: vscode.QuickPickItemKind.Separator }, ...offered];
      qp.activeItems = [first];
    };

    qp.onDidChangeValue(update);
    qp.onDidAccept(() => {
      const item = qp.activeItems[0];
      if (item?.accept !== undefined) {
        done = true;
        resolve(item.accept);
        qp.hide();
        return;
      }
      if (item?.anchor !== undefined) {
        const holds = mirror.anchor(item.anchor)?.element;
        qp.value = holds ? `${item.anchor}/` : item.anchor;
        update();
      }
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    update();
    qp.show();
  });
}
