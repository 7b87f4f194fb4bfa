/**
 * The anchor a command acts on: the tree item it was invoked on, else one the user picks from the
 * elements the client knows of (the tree's selection first).
 */
import * as vscode from 'vscode';
import type { ElementInfo } from '../../protocol';
import { elementDescription } from '../describe';
import type { Services } from '../services';

export async function elementArg(
  s: Services,
  arg: unknown,
  options: { title: string; accept?: (e: ElementInfo) => boolean },
): Promise<string | undefined> {
  if (typeof arg === 'string' && arg.startsWith('/')) return arg;
  const accept = options.accept ?? (() => true);
  const now = Date.now();
  const selected = s.treeView.selection[0];
  const elements = s.mirror
    .elements()
    .filter((e) => accept(e.element))
    .sort((a, b) => (a.path === selected ? -1 : b.path === selected ? 1 : a.path.localeCompare(b.path)));
  if (elements.length === 0) {
    void vscode.window.showInformationMessage(`${options.title}: no element to act on.`);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    elements.map((e) => ({ label: e.path, description: elementDescription(e.element, now) })),
    { title: options.title, placeHolder: 'Anchor path' },
  );
  return pick?.label;
}
