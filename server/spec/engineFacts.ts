/**
 * SpecFacts from the live engines: a cache of each host's images and named volumes, refreshed when the
 * host reports an image event or a connection change (never polled), and image details inspected on
 * first use. snapshot() is synchronous; onDidChange fires when a snapshot would now say something else.
 */
import type { ImageInfo, ImageInspectInfo } from 'dockerode';
import { Disposable, Emitter } from '../emitter';
import type { Host } from '../engine/host';
import { normalizeImageReference } from '../run/reference';
import { ImageFacts, ImageSummary, SpecFacts, noFacts } from './facts';

/** What the facts read of a Host (the engine's Host, or a stand-in in tests). */
export type FactsHost = Pick<Host, 'name' | 'docker' | 'connected' | 'memTotal' | 'onDidChange'>;

interface HostCache {
  subscription: Disposable;
  /** The images as last listed; undefined until listed, or while disconnected. */
  images: ImageInfo[] | undefined;
  volumes: string[];
  /** Inspected images by id; null when the inspect failed (unknown until the next refresh). */
  inspected: Map<string, ImageInspectInfo | null>;
  refreshing: boolean;
  again: boolean;
  /** Bumped by every refresh, so a late inspect of an older list is dropped. */
  generation: number;
}

export class EngineFacts implements Disposable {
  private readonly caches = new Map<FactsHost, HostCache>();
  private readonly changes = new Emitter<void>();
  private lastTarget: string | undefined;
  /** Lists and inspects under way. */
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly hosts: () => readonly FactsHost[],
    private readonly targetHostName: () => string | undefined,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Fires when the facts changed: images or volumes listed again, an image inspected, a connection or the target host changed. */
  onDidChange(listener: () => void): Disposable {
    return this.changes.on(listener);
  }

  /** The facts of the target host now: the host last made on, else the first connected host. */
  snapshot(): SpecFacts {
    const hosts = this.sync();
    const host = this.target(hosts);
    this.lastTarget = host?.name;
    if (host === undefined) return noFacts;
    const cache = this.caches.get(host)!;
    const connected = host.connected;
    const images = connected ? cache.images : undefined;
    return {
      host: host.name,
      connected,
      memTotal: host.memTotal,
      images: (images ?? []).map(summary),
      volumes: connected ? [...cache.volumes] : [],
      image: (ref) => (images === undefined ? undefined : this.imageFacts(host, cache, images, ref)),
    };
  }

  /** Whether a list or an inspect is under way (a snapshot now may say "unknown" where it soon knows). */
  get busy(): boolean {
    return this.inflight.size > 0;
  }

  /** Resolves once the lists and inspects under way are done, or after `timeoutMs`. */
  async ready(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inflight]), timeout]);
    clearTimeout(timer);
  }

  /** Start watching the hosts now (the first snapshot would too), so the first diagnostics find the lists ready. */
  watch(): void {
    this.sync();
  }

  dispose(): void {
    for (const cache of this.caches.values()) cache.subscription.dispose();
    this.caches.clear();
    this.changes.dispose();
  }

  private target(hosts: readonly FactsHost[]): FactsHost | undefined {
    const name = this.targetHostName();
    return hosts.find((h) => h.name === name) ?? hosts.find((h) => h.connected);
  }

  private track(work: Promise<unknown>): void {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
  }

  /** Subscribes to new hosts and forgets removed ones. */
  private sync(): readonly FactsHost[] {
    const hosts = this.hosts();
    for (const [host, cache] of this.caches) {
      if (!hosts.includes(host)) {
        cache.subscription.dispose();
        this.caches.delete(host);
      }
    }
    for (const host of hosts) {
      if (this.caches.has(host)) continue;
      const cache: HostCache = {
        subscription: host.onDidChange((change) => {
          if (change.kind === 'images' || change.kind === 'connection') this.track(this.refresh(host, cache));
          else if (this.target(this.hosts())?.name !== this.lastTarget) this.changes.fire();
        }),
        images: undefined,
        volumes: [],
        inspected: new Map(),
        refreshing: false,
        again: false,
        generation: 0,
      };
      this.caches.set(host, cache);
      if (host.connected) this.track(this.refresh(host, cache));
    }
    return hosts;
  }

  /** Lists the host's images and volumes again; a refresh asked for while one runs runs once more after it. */
  private async refresh(host: FactsHost, cache: HostCache): Promise<void> {
    if (cache.refreshing) {
      cache.again = true;
      return;
    }
    cache.refreshing = true;
    try {
      do {
        cache.again = false;
        cache.generation++;
        if (!host.connected) {
          cache.images = undefined;
          cache.volumes = [];
          cache.inspected.clear();
          continue;
        }
        try {
          const [images, volumes] = await Promise.all([host.docker.listImages(), host.docker.listVolumes()]);
          cache.images = images;
          cache.volumes = (volumes.Volumes ?? []).map((v) => v.Name).sort();
          const ids = new Set(images.map((i) => i.Id));
          for (const id of [...cache.inspected.keys()]) if (!ids.has(id) || cache.inspected.get(id) === null) cache.inspected.delete(id);
        } catch (err) {
          cache.images = undefined;
          cache.volumes = [];
          this.log(`Run-spec facts: cannot list images on host ${host.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      } while (cache.again);
    } finally {
      cache.refreshing = false;
    }
    if (this.caches.get(host) === cache) this.changes.fire();
  }

  /** An image's facts; inspects it on first use (undefined meanwhile, then a change fires). */
  private imageFacts(host: FactsHost, cache: HostCache, images: ImageInfo[], ref: string): ImageFacts | null | undefined {
    const image = findImage(images, ref);
    if (image === undefined) return null;
    const inspect = cache.inspected.get(image.Id);
    if (inspect === null) return undefined;
    if (inspect === undefined) {
      cache.inspected.set(image.Id, null);
      const generation = cache.generation;
      const inspecting = host.docker
        .getImage(image.Id)
        .inspect()
        .then(
          (info) => {
            if (cache.generation !== generation || this.caches.get(host) !== cache) return;
            cache.inspected.set(image.Id, info);
            this.changes.fire();
          },
          (err: unknown) => this.log(`Run-spec facts: cannot inspect image ${ref} on host ${host.name}: ${err instanceof Error ? err.message : String(err)}`),
        );
      this.track(inspecting);
      return undefined;
    }
    return {
      id: image.Id,
      tags: image.RepoTags ?? [],
      size: image.Size,
      created: inspect.Created,
      cmd: inspect.Config?.Cmd ?? null,
      entrypoint: toList(inspect.Config?.Entrypoint),
      env: inspect.Config?.Env ?? [],
      workingDir: inspect.Config?.WorkingDir ?? '',
      exposedPorts: Object.keys(inspect.Config?.ExposedPorts ?? {}),
    };
  }
}

function toList(value: string | string[] | null | undefined): string[] | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? [value] : value;
}

function summary(image: ImageInfo): ImageSummary {
  return { id: image.Id, tags: image.RepoTags ?? [], size: image.Size, created: image.Created };
}

/** The listed image a reference names: by repo:tag (normalized), by digest, or by (a prefix of) its id. */
export function findImage(images: ImageInfo[], ref: string): ImageInfo | undefined {
  const wanted = normalizeImageReference(ref);
  const byTag = images.find((i) => (i.RepoTags ?? []).some((t) => normalizeImageReference(t) === wanted));
  if (byTag !== undefined) return byTag;
  if (ref.includes('@')) {
    const digest = ref.slice(ref.indexOf('@') + 1);
    const name = normalizeImageReference(ref.slice(0, ref.indexOf('@'))).replace(/:[^:/]*$/, '');
    return images.find((i) => (i.RepoDigests ?? []).some((d) => d.endsWith(`@${digest}`) && normalizeImageReference(d.slice(0, d.indexOf('@'))).replace(/:[^:/]*$/, '') === name));
  }
  const id = /^(?:sha256:)?([0-9a-f]{12,64})$/.exec(ref)?.[1];
  return id === undefined ? undefined : images.find((i) => i.Id.replace(/^sha256:/, '').startsWith(id));
}
