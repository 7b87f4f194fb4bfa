/**
 * The Anchors tree: hosts, the anchors below them, each showing its element. Elements of the tree are
 * anchor paths (strings), so VS Code keeps expansion and selection across refreshes; only the nodes the
 * mirror reports as changed are refreshed.
 */
import * as vscode from 'vscode';
import type { AnchorMirror, MirrorChange } from './anchorMirror';
import { parentPath } from './anchorPath';
import {
  anchorIcon,
  anchorTooltip,
  contextValue,
  elementDescription,
  elementIcon,
  hostDescription,
  hostIcon,
  hostTooltip,
  type IconSpec,
  type TreeNodeData,
} from './describe';

export class AnchorTree implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<string | string[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** Paths VS Code has asked for (the tree knows them), so refreshes name only those. */
  private readonly shown = new Set<string>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly mirror: AnchorMirror,
    /** Whether a server runs; without one the tree is empty and the welcome view says why. */
    private readonly live: () => boolean,
  ) {
    this.subscription = mirror.onDidChange((change) => this.refresh(change));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  /** Refreshes the whole tree (title-bar Refresh; the mirror reloads first). */
  refreshAll(): void {
    this.changeEmitter.fire(undefined);
  }

  private refresh(change: MirrorChange): void {
    if (change.all || change.paths.includes('/')) {
      this.changeEmitter.fire(undefined);
      return;
    }
    const targets = new Set<string>();
    for (const p of change.paths) {
      // The nearest node the tree has shown: a new anchor's parent, or the anchor itself.
      let q = p;
      while (q !== '/' && !this.shown.has(q)) q = parentPath(q);
      if (q === '/') {
        this.changeEmitter.fire(undefined);
        return;
      }
      targets.add(q);
    }
    // A node whose ancestor is refreshed anyway need not be named.
    const list = [...targets].filter((p) => ![...targets].some((o) => o !== p && p.startsWith(`${o}/`)));
    if (list.length > 0) this.changeEmitter.fire(list);
  }

  getParent(path: string): string | undefined {
    const parent = parentPath(path);
    return parent === '/' ? undefined : parent;
  }

  async getChildren(path?: string): Promise<string[]> {
    if (!this.live()) return [];
    await this.mirror.loaded();
    const key = path ?? '/';
    if (key === '/') {
      // With no host connected the tree is empty, so the welcome view says why and what to do.
      if (!this.mirror.hosts().some((h) => h.connected)) return [];
      const hosts = this.mirror.hosts().map((h) => `/${h.name}`);
      for (const h of hosts) this.shown.add(h);
      return hosts;
    }
    const children = [...(this.mirror.children(key) ?? [])];
    for (const c of children) this.shown.add(c);
    return children;
  }

  getTreeItem(path: string): vscode.TreeItem {
    const node = this.node(path);
    const now = Date.now();
    if (node === undefined) {
      // Gone between the refresh and the render; the next refresh removes it.
      const item = new vscode.TreeItem(path.slice(path.lastIndexOf('/') + 1), vscode.TreeItemCollapsibleState.None);
      item.id = path;
      return item;
    }
    if (node.kind === 'host') {
      const h = node.host;
      const hasChildren = (this.mirror.children(path)?.length ?? 0) > 0;
      const item = new vscode.TreeItem(h.name, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.id = path;
      item.description = hostDescription(h);
      item.tooltip = new vscode.MarkdownString(hostTooltip(h));
      item.iconPath = themeIcon(hostIcon(h));
      item.contextValue = contextValue(node);
      return item;
    }
    const a = node.anchor;
    const collapsible = a.children > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(a.name, collapsible);
    item.id = path;
    item.tooltip = new vscode.MarkdownString(anchorTooltip(a, now));
    item.contextValue = contextValue(node);
    if (a.element === null) {
      item.iconPath = themeIcon(anchorIcon);
    } else {
      item.description = elementDescription(a.element, now);
      item.iconPath = themeIcon(elementIcon(a.element));
    }
    return item;
  }

  private node(path: string): TreeNodeData | undefined {
    if (path.lastIndexOf('/') === 0) {
      const host = this.mirror.host(path.slice(1));
      return host === undefined ? undefined : { kind: 'host', host };
    }
    const anchor = this.mirror.anchor(path);
    return anchor === undefined ? undefined : { kind: 'anchor', anchor };
  }
}

function themeIcon(spec: IconSpec): vscode.ThemeIcon {
  return spec.color === undefined ? new vscode.ThemeIcon(spec.id) : new vscode.ThemeIcon(spec.id, new vscode.ThemeColor(spec.color));
}
