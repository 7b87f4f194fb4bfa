/** Open Terminal: the element's stdio in a terminal, one per anchor, reused. */
import type { CommandFactory } from '../services';
import { elementArg } from './pickElement';

export const openTerminal: CommandFactory = (s) => async (arg: unknown) => {
  const path = await elementArg(s, arg, { title: 'Circuit: Open Terminal' });
  if (path !== undefined) s.terminals.open(path);
};
