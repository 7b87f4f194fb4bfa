/** Copy Path and Copy Container ID, from the tree. */
import * as vscode from 'vscode';
import type { CommandFactory } from '../services';
import { elementArg } from './pickElement';

export const copyPath: CommandFactory = (s) => async (arg: unknown) => {
  const path = typeof arg === 'string' ? arg : s.treeView.selection[0];
  if (path === undefined) return;
  await vscode.env.clipboard.writeText(path);
  vscode.window.setStatusBarMessage(`Copied ${path}`, 3000);
};

export const copyContainerId: CommandFactory = (s) => async (arg: unknown) => {
  const path = await elementArg(s, arg, { title: 'Circuit: Copy Container ID' });
  const id = path === undefined ? undefined : s.mirror.anchor(path)?.element?.id;
  if (id === undefined) return;
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(`Copied the container id of ${path}`, 3000);
};
