/** What the commands work with, made once at activation (see main.ts). */
import type * as vscode from 'vscode';
import type { AnchorMirror } from './anchorMirror';
import type { AnchorTree } from './anchorTree';
import type { Ctx } from './ctx';
import type { PeekDocuments } from './peekDocuments';
import type { Terminals } from './terminals';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly ctx: Ctx;
  readonly mirror: AnchorMirror;
  readonly tree: AnchorTree;
  readonly treeView: vscode.TreeView<string>;
  readonly peeks: PeekDocuments;
  readonly terminals: Terminals;
}

/** A command's implementation, given the services; the command table in main.ts names them. */
export type CommandFactory = (s: Services) => (...args: unknown[]) => unknown;
