/** Signal…: a quick pick of signal names (KILL and TERM first), KILL confirmed, sent through the Engine API. */
import * as vscode from 'vscode';
import { SignalRequest } from '../../protocol';
import { errorMessage } from '../errors';
import type { CommandFactory } from '../services';
import { needsConfirmation, signalChoices } from '../signals';
import { elementArg } from './pickElement';

export const signal: CommandFactory = (s) => async (arg: unknown, preset: unknown) => {
  const path = await elementArg(s, arg, { title: 'Circuit: Signal', accept: (e) => e.state === 'running' || e.state === 'restarting' });
  if (path === undefined) return;
  let name: string | undefined = typeof preset === 'string' ? preset : undefined;
  if (name === undefined) {
    const pick = await vscode.window.showQuickPick(
      signalChoices().map((c) => ({ label: c.name, description: c.description })),
      { title: `Signal ${path}`, placeHolder: 'Signal to send to the container' },
    );
    name = pick?.label;
  }
  if (name === undefined) return;
  if (needsConfirmation(name)) {
    const ok = await vscode.window.showWarningMessage(
      `Send KILL to ${path}?`,
      { modal: true, detail: 'The container stops at once, without a chance to clean up.' },
      'Send KILL',
    );
    if (ok !== 'Send KILL') return;
  }
  try {
    await s.ctx.sendRequest(SignalRequest.type, { path, signal: name });
    vscode.window.setStatusBarMessage(`Circuit: sent ${name} to ${path}`, 4000);
  } catch (err) {
    void vscode.window.showErrorMessage(`Signal ${name} ${path}: ${errorMessage(err)}`);
  }
};
