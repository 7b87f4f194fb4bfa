/**
 * How hosts, anchors and elements look in the tree and the status bar: labels, descriptions, icons,
 * tooltips and the contextValue the menus key on. Pure: no `vscode` import, so unit tests can call it.
 */
import type { AnchorInfo, ElementInfo, ElementState, HostStatus } from '../protocol';
import { happened, timeAgo } from './timeAgo';

/** A codicon id and an optional theme color id; the tree turns them into a ThemeIcon. */
export interface IconSpec {
  id: string;
  color?: string;
}

/** The image as shown in a description: the `:latest` tag adds nothing. */
export function shortImage(image: string): string {
  return image.endsWith(':latest') ? image.slice(0, -':latest'.length) : image;
}

/** The short form of a container id, as `docker ps` shows it. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** `running · busybox`, `exited (137) 2 min ago`, `created · busybox`, ... */
export function elementDescription(e: ElementInfo, now: number): string {
  switch (e.state) {
    case 'exited': {
      const code = e.exitCode === null ? '' : ` (${e.exitCode})`;
      const ago = timeAgo(e.finishedAt, now);
      return ago === undefined ? `exited${code}` : `exited${code} ${ago}`;
    }
    case 'dead':
      return e.exitCode === null || e.exitCode === 0 ? 'dead' : `dead (${e.exitCode})`;
    default:
      return `${e.state} · ${shortImage(e.image)}`;
  }
}

/** Whether the element exited with a non-zero code (or died). */
export function failed(e: ElementInfo): boolean {
  return e.state === 'dead' || (e.state === 'exited' && e.exitCode !== null && e.exitCode !== 0);
}

/** The icon of an element by its state. */
export function elementIcon(e: ElementInfo): IconSpec {
  switch (e.state) {
    case 'running':
      return { id: 'vm-running', color: 'charts.green' };
    case 'exited':
      return failed(e) ? { id: 'error', color: 'errorForeground' } : { id: 'pass', color: 'charts.green' };
    case 'created':
      return { id: 'circle-large-outline' };
    case 'paused':
      return { id: 'debug-pause', color: 'charts.yellow' };
    case 'restarting':
      return { id: 'sync', color: 'charts.yellow' };
    case 'removing':
      return { id: 'trash' };
    case 'dead':
      return { id: 'close', color: 'errorForeground' };
  }
}

/** The icon of an anchor without an element: a folder of anchors. */
export const anchorIcon: IconSpec = { id: 'symbol-namespace' };

export function hostIcon(h: HostStatus): IconSpec {
  if (!h.connected) return { id: 'debug-disconnect', color: 'errorForeground' };
  if (h.insecure) return { id: 'server', color: 'charts.yellow' };
  return { id: 'server' };
}

/** States in which the container may still run: Wait and Signal make sense. */
const live: ReadonlySet<ElementState> = new Set<ElementState>(['running', 'restarting', 'paused', 'created']);

/**
 * The contextValue of a tree item, which package.json's menus match with regular expressions:
 * `host.connected`, `host.disconnected`, `anchor` (no element), `element.<state>` plus `.live` while the
 * container may still run, e.g. `element.running.live`, `element.exited`.
 */
export function contextValue(node: TreeNodeData): string {
  if (node.kind === 'host') return node.host.connected ? 'host.connected' : 'host.disconnected';
  const e = node.anchor.element;
  if (e === null) return 'anchor';
  return live.has(e.state) ? `element.${e.state}.live` : `element.${e.state}`;
}

export type TreeNodeData = { kind: 'host'; host: HostStatus } | { kind: 'anchor'; anchor: AnchorInfo };

export function hostDescription(h: HostStatus): string {
  if (!h.connected) return 'disconnected';
  const version = h.serverVersion === undefined ? '' : ` · Docker ${h.serverVersion}`;
  return `${h.insecure ? 'connected, insecure' : 'connected'}${version}`;
}

/** Tooltip lines (Markdown) for a host. */
export function hostTooltip(h: HostStatus): string {
  const lines = [`**/${h.name}** — ${h.docker}`];
  if (h.connected) lines.push(`Docker Engine ${h.serverVersion ?? '(version unknown)'}`);
  else lines.push(`Not connected${h.error === undefined ? '' : `: ${h.error}`}`);
  if (h.insecure) lines.push('Plain tcp:// without TLS: anyone on the network path can drive this engine.');
  return lines.join('\n\n');
}

/** Tooltip lines (Markdown) for an anchor and its element. */
export function anchorTooltip(a: AnchorInfo, now: number): string {
  const lines = [`**${a.path}**`];
  const e = a.element;
  if (e === null) {
    lines.push(`${a.children} ${a.children === 1 ? 'anchor' : 'anchors'} below, no element`);
    return lines.join('\n\n');
  }
  lines.push(`State: ${elementDescription(e, now)}`);
  lines.push(`Image: \`${e.image}\``);
  lines.push(`Container: \`${e.name}\` (\`${shortId(e.id)}\`)`);
  if (happened(e.startedAt)) lines.push(`Started: ${e.startedAt} (${timeAgo(e.startedAt, now) ?? ''})`);
  if (happened(e.finishedAt) && !live.has(e.state)) lines.push(`Finished: ${e.finishedAt} (${timeAgo(e.finishedAt, now) ?? ''})`);
  if (e.scrub) lines.push('Scrub: removed as soon as it exits');
  return lines.join('\n\n');
}

/** The status bar text and tooltip from the hosts and the elements known to the client. */
export function statusSummary(hosts: readonly HostStatus[], running: number): { text: string; tooltip: string; warning: boolean } {
  const connected = hosts.filter((h) => h.connected).length;
  const hostWord = hosts.length === 1 ? 'host' : 'hosts';
  const hostsPart = connected === hosts.length ? `${hosts.length} ${hostWord}` : `${connected}/${hosts.length} ${hostWord}`;
  const warning = connected < hosts.length || hosts.length === 0;
  const text = `$(${warning ? 'warning' : 'server-process'}) ${hostsPart} · ${running} running`;
  const tooltip = [
    'Circuit',
    ...hosts.map((h) => `/${h.name}: ${h.connected ? 'connected' : `disconnected${h.error === undefined ? '' : ` (${h.error})`}`}`),
    `${running} ${running === 1 ? 'container' : 'containers'} running`,
  ].join('\n');
  return { text, tooltip, warning };
}

/** Why no host is connected, as a class the welcome view has a text for (context key `circuit.connectionProblem`). */
export type ConnectionProblem = 'no-hosts' | 'not-running' | 'permission' | 'tls' | 'other';

/** The class of the problem when no host is connected, or undefined when some host is. */
export function connectionProblem(hosts: readonly HostStatus[]): ConnectionProblem | undefined {
  if (hosts.some((h) => h.connected)) return undefined;
  if (hosts.length === 0) return 'no-hosts';
  const errors = hosts.map((h) => h.error ?? '').join('\n');
  if (/EACCES|EPERM|permission denied/i.test(errors)) return 'permission';
  if (/certificate|TLS|SSL|handshake/i.test(errors)) return 'tls';
  if (/no engine answers|ENOENT|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up/i.test(errors)) return 'not-running';
  return 'other';
}
