/** Restart Server, Show Server Output, and the tree's Refresh. */
import type { CommandFactory } from '../services';

export const restartServer: CommandFactory = (s) => () => s.ctx.restart();

export const showServerOutput: CommandFactory = (s) => () => s.ctx.output.show(true);

export const refresh: CommandFactory = (s) => () => s.mirror.reload();
