import { HostsRequest } from '../../protocol';
import { hostsTable, json } from '../format';
import type { VerbContext } from './context';

/** `circuit hosts`: the configured hosts and their connection state. */
export async function hosts(ctx: VerbContext): Promise<number> {
  const server = await ctx.server();
  const { hosts } = await server.request(HostsRequest.type, {});
  await ctx.out(ctx.json ? json(hosts) : hostsTable(hosts));
  return 0;
}
