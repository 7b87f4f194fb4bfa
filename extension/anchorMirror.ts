/**
 * The client's copy of the server's anchor namespace, kept from `circuit/didChange` alone (no polling).
 *
 * Loaded once in full (hosts, then every anchor with `circuit/view`), then reconciled only where the server
 * says something changed. The tree, the status bar, the Make path input and the peek documents all read
 * from it. Updates are serialized: notifications that arrive while one batch is being reconciled are
 * coalesced into the next batch, so responses never apply out of order.
 *
 * Pure: the two requests are injected, no `vscode` import.
 */
import type { AnchorInfo, ElementInfo, HostsRequest, HostStatus, ViewRequest } from '../protocol';
import { parentPath } from './anchorPath';

export interface NamespaceSource {
  hosts(): Promise<HostsRequest.Result>;
  view(path: string): Promise<ViewRequest.Result>;
}

/** What changed in one batch: paths whose item or set of children changed; `all` after a full load. */
export interface MirrorChange {
  all: boolean;
  paths: string[];
}

type Listener = (change: MirrorChange) => void;

const reload = Symbol('reload');

export class AnchorMirror {
  private hostList: HostStatus[] = [];
  private readonly infos = new Map<string, AnchorInfo>();
  private readonly kids = new Map<string, string[]>();
  private readonly listeners = new Set<Listener>();
  private pending = new Set<string | typeof reload>();
  private running: Promise<void> | undefined;
  private loadedOnce = false;
  private readonly loadWaiters: Array<() => void> = [];

  constructor(private readonly source: NamespaceSource) {}

  /** Drops everything and loads the whole namespace again (at start and after a server restart). */
  reload(): Promise<void> {
    this.pending.add(reload);
    return this.kick();
  }

  /** Reconciles the anchors the server named in `circuit/didChange`. */
  changed(paths: readonly string[]): Promise<void> {
    for (const p of paths) this.pending.add(p);
    return this.kick();
  }

  /** Resolves once the first full load is done. */
  loaded(): Promise<void> {
    if (this.loadedOnce) return Promise.resolve();
    return new Promise((resolve) => this.loadWaiters.push(resolve));
  }

  get isLoaded(): boolean {
    return this.loadedOnce;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  hosts(): readonly HostStatus[] {
    return this.hostList;
  }

  host(name: string): HostStatus | undefined {
    return this.hostList.find((h) => h.name === name);
  }

  /** The anchor at a path (hosts too, as the view of `/` reports them), if known. */
  anchor(path: string): AnchorInfo | undefined {
    return this.infos.get(path);
  }

  /** The child paths of an anchor (`/` for the hosts), or undefined when unknown. */
  children(path: string): readonly string[] | undefined {
    return this.kids.get(path);
  }

  /** Every known anchor path below `/`, depth first. */
  allPaths(): string[] {
    const out: string[] = [];
    const walk = (p: string): void => {
      for (const c of this.kids.get(p) ?? []) {
        out.push(c);
        walk(c);
      }
    };
    walk('/');
    return out;
  }

  /** Every element the client knows of, with its anchor path. */
  elements(): Array<{ path: string; element: ElementInfo }> {
    const out: Array<{ path: string; element: ElementInfo }> = [];
    for (const [path, info] of this.infos) if (info.element !== null) out.push({ path, element: info.element });
    return out;
  }

  runningCount(): number {
    return this.elements().filter((e) => e.element.state === 'running').length;
  }

  private kick(): Promise<void> {
    if (this.running === undefined) {
      this.running = this.drain().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = this.pending;
      this.pending = new Set();
      const changed = new Set<string>();
      let all = false;
      if (batch.has(reload)) {
        await this.loadAll();
        all = true;
      } else {
        const paths = [...batch].filter((p): p is string => typeof p === 'string').sort((a, b) => depth(a) - depth(b));
        for (const p of paths) await this.apply(p, changed);
      }
      this.emit({ all, paths: [...changed] });
    }
  }

  private emit(change: MirrorChange): void {
    if (!change.all && change.paths.length === 0) return;
    for (const l of [...this.listeners]) l(change);
  }

  private async loadAll(): Promise<void> {
    this.infos.clear();
    this.kids.clear();
    this.hostList = await this.fetchHosts();
    await this.reconcile('/', new Set());
    if (!this.loadedOnce) {
      this.loadedOnce = true;
      for (const w of this.loadWaiters.splice(0)) w();
    }
  }

  private async fetchHosts(): Promise<HostStatus[]> {
    try {
      return (await this.source.hosts()).hosts;
    } catch {
      return [];
    }
  }

  /** One path named by the server: its parent learns its new item, and its own children are reconciled. */
  private async apply(path: string, changed: Set<string>): Promise<void> {
    if (path === '/' || depth(path) === 1) {
      const before = new Map(this.hostList.map((h) => [h.name, h.connected]));
      this.hostList = await this.fetchHosts();
      // A host whose connection changed is reloaded in full: the engine may have changed meanwhile.
      for (const h of this.hostList) {
        if (before.get(h.name) !== h.connected) {
          this.drop(`/${h.name}`, false);
          changed.add(`/${h.name}`);
        }
      }
      if (this.hostList.length !== before.size) changed.add('/');
      await this.reconcile('/', changed);
      if (path !== '/' && this.infos.has(path)) await this.reconcile(path, changed);
      return;
    }
    // The nearest ancestor whose children are known tells whether the anchor (still) exists.
    let parent = parentPath(path);
    while (parent !== '/' && !this.kids.has(parent)) parent = parentPath(parent);
    await this.reconcile(parent, changed);
    if (this.infos.has(path) && this.kids.has(path)) await this.reconcile(path, changed);
  }

  /**
   * Lists `path`'s children and brings the copy in line: removed ones dropped, new ones loaded in full,
   * changed items recorded, and children whose child count disagrees with the copy reconciled in turn.
   */
  private async reconcile(path: string, changed: Set<string>): Promise<void> {
    let listed: AnchorInfo[];
    try {
      listed = (await this.source.view(path)).children;
    } catch {
      // An unreachable host has no visible children until it reconnects.
      listed = [];
    }
    const old = this.kids.get(path) ?? [];
    const now = new Set(listed.map((c) => c.path));
    for (const gone of old) {
      if (!now.has(gone)) {
        this.drop(gone, true);
        changed.add(path);
      }
    }
    if (old.length !== listed.length || old.some((p, i) => listed[i]?.path !== p)) changed.add(path);
    this.kids.set(path, listed.map((c) => c.path));
    const deeper: Array<Promise<void>> = [];
    for (const child of listed) {
      const before = this.infos.get(child.path);
      this.infos.set(child.path, child);
      if (before === undefined) {
        changed.add(path);
        // All of a new subtree is new: naming `path` covers it.
        deeper.push(this.loadBelow(child, new Set()));
        continue;
      }
      if (!sameAnchor(before, child)) changed.add(child.path);
      const known = this.kids.get(child.path);
      if (known === undefined || known.length !== child.children) deeper.push(this.reconcile(child.path, changed));
    }
    // Sibling subtrees are disjoint, so they load side by side.
    await Promise.all(deeper);
  }

  private async loadBelow(anchor: AnchorInfo, changed: Set<string>): Promise<void> {
    if (anchor.children === 0 && depth(anchor.path) > 1) {
      this.kids.set(anchor.path, []);
      return;
    }
    await this.reconcile(anchor.path, changed);
  }

  /** Forgets an anchor's subtree (and the anchor itself when `self`). */
  private drop(path: string, self: boolean): void {
    for (const c of this.kids.get(path) ?? []) this.drop(c, true);
    this.kids.delete(path);
    if (self) this.infos.delete(path);
  }
}

function depth(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1;
}

function sameAnchor(a: AnchorInfo, b: AnchorInfo): boolean {
  return a.children === b.children && JSON.stringify(a.element) === JSON.stringify(b.element);
}
