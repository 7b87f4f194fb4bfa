/** Scrub: after a confirmation naming what goes (a running container is stopped first), frees the anchor. */
import * as vscode from 'vscode';
import { ScrubRequest } from '../../protocol';
import { elementDescription, shortId } from '../describe';
import { errorMessage } from '../errors';
import type { CommandFactory } from '../services';
import { elementArg } from './pickElement';

export const scrub: CommandFactory = (s) => async (arg: unknown) => {
  const path = await elementArg(s, arg, { title: 'Circuit: Scrub' });
  if (path === undefined) return;
  const e = s.mirror.anchor(path)?.element ?? null;
  const what = e === null ? 'its element' : `container ${e.name} (${shortId(e.id)}, ${elementDescription(e, Date.now())})`;
  const detail =
    e !== null && (e.state === 'running' || e.state === 'paused' || e.state === 'restarting')
      ? `This stops ${what}, which is running, then removes it. The anchor is free for a new element.`
      : `This removes ${what}. The anchor is free for a new element.`;
  const ok = await vscode.window.showWarningMessage(`Scrub ${path}?`, { modal: true, detail }, 'Scrub');
  if (ok !== 'Scrub') return;
  try {
    await s.ctx.sendRequest(ScrubRequest.type, { path });
    vscode.window.setStatusBarMessage(`Circuit: scrubbed ${path}`, 4000);
  } catch (err) {
    void vscode.window.showErrorMessage(`Scrub ${path}: ${errorMessage(err)}`);
  }
};
