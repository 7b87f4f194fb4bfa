/** Wait: a cancellable progress notification until the container exits, then its exit code. */
import * as vscode from 'vscode';
import { WaitRequest } from '../../protocol';
import { cancelled, errorMessage, errorReason } from '../errors';
import type { CommandFactory } from '../services';
import { elementArg } from './pickElement';

export const wait: CommandFactory = (s) => async (arg: unknown) => {
  const path = await elementArg(s, arg, { title: 'Circuit: Wait', accept: (e) => e.state !== 'exited' && e.state !== 'dead' });
  if (path === undefined) return;
  let message: string;
  try {
    const inspect = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Waiting for ${path} to exit…`, cancellable: true },
      (_progress, token) => s.ctx.sendRequest(WaitRequest.type, { path }, token),
    );
    message = `${path} exited with code ${inspect.State.ExitCode}.`;
  } catch (err) {
    if (cancelled(err)) return;
    if (errorReason(err) === 'scrubbed') {
      void vscode.window.showInformationMessage(`${path} was scrubbed while waiting.`);
      return;
    }
    void vscode.window.showErrorMessage(`Wait ${path}: ${errorMessage(err)}`);
    return;
  }
  const pick = await vscode.window.showInformationMessage(message, 'Peek');
  if (pick === 'Peek') await s.peeks.open(path);
};
