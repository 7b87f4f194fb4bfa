/** Peek: the element's inspect JSON in a read-only `circuit-peek:` document; Refresh Peek reloads it. */
import * as vscode from 'vscode';
import { peekScheme } from '../peekPath';
import type { CommandFactory } from '../services';
import { elementArg } from './pickElement';

export const peek: CommandFactory = (s) => async (arg: unknown) => {
  const path = await elementArg(s, arg, { title: 'Circuit: Peek' });
  if (path !== undefined) await s.peeks.open(path);
};

export const refreshPeek: CommandFactory = (s) => (arg: unknown) => {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (uri?.scheme === peekScheme) s.peeks.refresh(uri);
};
