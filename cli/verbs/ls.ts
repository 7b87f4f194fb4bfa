import { type AnchorInfo, ViewRequest } from '../../protocol';
import type { ServerConnection } from '../connection';
import { anchorPaths, anchorTable, json } from '../format';
import type { VerbContext } from './context';

/**
 * `circuit ls [-l] PATH`: the anchors under PATH. A PATH ending in `/...` lists the whole subtree, as
 * Circuit's `ls /...` did (depth first, children in name order).
 */
export async function ls(ctx: VerbContext): Promise<number> {
  const given = ctx.args[0] ?? '/';
  const recursive = given === '...' || given.endsWith('/...');
  const path = recursive ? given.slice(0, -3) || '/' : given;
  const server = await ctx.server();
  const anchors = recursive ? await subtree(server, path) : (await server.request(ViewRequest.type, { path })).children;
  await ctx.out(ctx.json ? json(anchors) : ctx.flags.has('-l') ? anchorTable(anchors) : anchorPaths(anchors));
  return 0;
}

async function subtree(server: ServerConnection, path: string): Promise<AnchorInfo[]> {
  const found: AnchorInfo[] = [];
  const walk = async (at: string) => {
    const { children } = await server.request(ViewRequest.type, { path: at });
    for (const child of children) {
      found.push(child);
      if (child.children > 0) await walk(child.path);
    }
  };
  await walk(path === '' ? '/' : path);
  return found;
}
