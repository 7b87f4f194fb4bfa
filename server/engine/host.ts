import Docker from 'dockerode';
import type { ElementInfo, ElementState, HostStatus, Inspect } from '../../protocol';
import { containerName, formatPath } from '../anchor/path';
import { ANCHOR_LABEL, fromLabels } from '../anchor/labels';
import { Namespace } from '../anchor/namespace';
import { CircuitError, engineStatus } from '../errors';
import { Emitter, type Disposable } from '../emitter';
import type { HostEndpoint } from './hostConfig';
import { EventLines, type EngineEvent } from './eventLines';

/** What changed on a host. Element paths are full anchor paths (`/local/app/db`). */
export type HostChange = { kind: 'connection' } | { kind: 'images' } | { kind: 'elements'; paths: string[] };

/** An element as it changed: the element now (null once gone) and, when the change came from one, the inspect. */
export interface ElementUpdate {
  names: readonly string[];
  element: ElementInfo | null;
  inspect?: Inspect;
}

/** Container events that can change what an element shows; others (exec_*, attach, kill, ...) cannot. */
const STATE_EVENTS = new Set(['create', 'start', 'restart', 'die', 'pause', 'unpause', 'oom', 'rename', 'update', 'stop']);
const IMAGE_EVENTS = new Set(['import', 'pull', 'delete', 'tag', 'untag', 'load']);
const MAX_BACKOFF_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * One Docker Engine: its connection, and the cache of its elements kept from the event stream. The
 * engine is the source of truth: after every (re)connect the cache is rebuilt from a full list, then
 * kept by events only (no polling). A lost engine is retried with backoff and shows as disconnected;
 * its last known tree stays visible meanwhile.
 */
export class Host {
  readonly name: string;
  readonly docker: Docker;
  readonly namespace = new Namespace();

  private state: { connected: boolean; error?: string; serverVersion?: string; memTotal?: number } = { connected: false };
  private readonly byId = new Map<string, readonly string[]>();
  private readonly inspecting = new Map<string, { again: boolean }>();
  private readonly abort = new AbortController();
  private readonly changes = new Emitter<HostChange>();
  private readonly updates = new Emitter<ElementUpdate>();
  private firstAttempt: Promise<void>;
  private markFirstAttempt!: () => void;

  constructor(readonly endpoint: HostEndpoint, private readonly log: (message: string) => void) {
    this.name = endpoint.name;
    const options = endpoint.options;
    this.docker = new Docker('error' in options ? { socketPath: '/nonexistent' } : options);
    this.firstAttempt = new Promise((resolve) => (this.markFirstAttempt = resolve));
    if ('error' in options) {
      this.state = { connected: false, error: options.error };
      this.markFirstAttempt();
    } else {
      void this.connectLoop();
    }
  }

  get connected(): boolean {
    return this.state.connected;
  }

  get memTotal(): number | undefined {
    return this.state.memTotal;
  }

  get status(): HostStatus {
    const { connected, error, serverVersion } = this.state;
    return {
      name: this.name,
      docker: this.endpoint.docker,
      connected,
      ...(error !== undefined && !connected ? { error } : {}),
      ...(serverVersion !== undefined ? { serverVersion } : {}),
      insecure: this.endpoint.insecure,
    };
  }

  onDidChange(listener: (change: HostChange) => void): Disposable {
    return this.changes.on(listener);
  }

  onElement(listener: (update: ElementUpdate) => void): Disposable {
    return this.updates.on(listener);
  }

  /** Resolves once the first connection attempt is over, so that requests at start-up see the tree. */
  settled(): Promise<void> {
    return this.firstAttempt;
  }

  /** The host, connected, or host-unreachable. Waits for the first connection attempt. */
  async ready(): Promise<this> {
    await this.firstAttempt;
    if (!this.state.connected) {
      throw new CircuitError('host-unreachable', `Host ${this.name} (${this.endpoint.docker}) is not connected${this.state.error ? `: ${this.state.error}` : ''}.`);
    }
    return this;
  }

  /** The element at an anchor, from the cache. */
  element(names: readonly string[]): ElementInfo | null {
    return this.namespace.get(names);
  }

  /** Re-reads one container from the engine and updates the cache; returns the inspect (undefined when gone). */
  async refresh(id: string): Promise<Inspect | undefined> {
    const running = this.inspecting.get(id);
    if (running) {
      running.again = true;
      return undefined;
    }
    const mark = { again: false };
    this.inspecting.set(id, mark);
    try {
      let inspect: Inspect | undefined;
      do {
        mark.again = false;
        inspect = await this.inspect(id);
        if (inspect) this.applyInspect(inspect);
        else this.remove(id);
      } while (mark.again);
      return inspect;
    } finally {
      this.inspecting.delete(id);
    }
  }

  /** The engine's inspect of a container, or undefined when it no longer exists. */
  async inspect(id: string): Promise<Inspect | undefined> {
    try {
      return (await this.docker.getContainer(id).inspect({ abortSignal: this.abort.signal })) as unknown as Inspect;
    } catch (err) {
      if (engineStatus(err)?.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Takes a fresh inspect into the cache (make and peek use it, so the tree never lags behind a reply). */
  applyInspect(inspect: Inspect): void {
    const config = inspect.Config as { Labels?: Record<string, string>; Image?: string } | undefined;
    const labels = fromLabels(config?.Labels);
    if (!labels || inspect.Name !== '/' + containerName(labels.names)) return;
    const state = inspect.State as Inspect['State'] & { StartedAt?: string; FinishedAt?: string };
    const element: ElementInfo = {
      kind: 'docker',
      id: inspect.Id,
      name: inspect.Name.slice(1),
      image: config?.Image ?? String(inspect.Image),
      state: state.Status,
      exitCode: state.Status === 'exited' || state.Status === 'dead' ? state.ExitCode : null,
      scrub: labels.scrub,
      ...definedTime('startedAt', state.StartedAt),
      ...definedTime('finishedAt', state.FinishedAt),
    };
    this.put(inspect.Id, labels.names, element, inspect);
  }

  dispose(): void {
    this.abort.abort();
    this.changes.dispose();
    this.updates.dispose();
  }

  // -------------------------------------------------------------------------------------------------

  private async connectLoop(): Promise<void> {
    let backoff = 50;
    while (!this.abort.signal.aborted) {
      try {
        await this.session(() => (backoff = 50));
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.state.error = errorText(err);
      }
      if (this.state.connected) {
        this.state = { ...this.state, connected: false };
        this.log(`host ${this.name}: disconnected (${this.state.error ?? 'event stream ended'}); retrying`);
        this.changes.fire({ kind: 'connection' });
      }
      this.markFirstAttempt();
      await delay(backoff, this.abort.signal);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  /** One connection: subscribe to events, resync from a full list, then follow events until the stream ends. */
  private async session(onConnected: () => void): Promise<void> {
    const signal = this.abort.signal;
    // An engine that never answers (a black-holed tcp:// address) must not hold up the first attempt.
    const version = await engineCall<Docker.DockerVersion>(this.docker, 'version', AbortSignal.any([signal, AbortSignal.timeout(CONNECT_TIMEOUT_MS)]));
    const events = (await this.docker.getEvents({ filters: { type: ['container', 'image'] }, abortSignal: signal } as Docker.GetEventsOptions)) as NodeJS.ReadableStream & { destroy(): void };
    const ended = new Promise<void>((resolve, reject) => {
      events.on('error', reject);
      events.on('end', () => resolve());
      events.on('close', () => resolve());
    });
    // Events that arrive while the list is read wait for it: each then re-reads its container, so the
    // cache ends newer than the list.
    const early: EngineEvent[] = [];
    let listed = false;
    const lines = new EventLines((event) => (listed ? this.onEvent(event) : early.push(event)));
    events.on('data', (chunk: Buffer) => lines.push(chunk));
    try {
      const info = await engineCall<{ MemTotal?: number }>(this.docker, 'info', signal);
      await this.resync();
      listed = true;
      early.splice(0).forEach((e) => this.onEvent(e));
      this.state = { connected: true, serverVersion: version.Version, ...(info.MemTotal ? { memTotal: info.MemTotal } : {}) };
      onConnected();
      this.log(`host ${this.name}: connected to Docker ${version.Version} (API ${version.ApiVersion}), ${this.namespace.size} elements`);
      this.markFirstAttempt();
      this.changes.fire({ kind: 'connection' });
      this.changes.fire({ kind: 'images' });
      await ended;
      this.state.error = 'the engine closed the event stream';
    } finally {
      events.destroy();
    }
  }

  private async resync(): Promise<void> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [ANCHOR_LABEL] }, abortSignal: this.abort.signal } as Docker.ContainerListOptions);
    const seen = new Set<string>();
    for (const c of list) {
      const labels = fromLabels(c.Labels);
      const name = containerName(labels?.names ?? []);
      if (!labels || !c.Names.includes('/' + name)) continue;
      seen.add(c.Id);
      const state = c.State as ElementState;
      const known = this.namespace.get(labels.names);
      const element: ElementInfo = {
        kind: 'docker',
        id: c.Id,
        name,
        image: c.Image,
        state,
        exitCode: state === 'exited' || state === 'dead' ? exitCodeOf(c.Status) : null,
        scrub: labels.scrub,
      };
      // The list carries no start/finish times: keep those of an earlier inspect of the same run.
      if (known?.id === c.Id && known.state === state) {
        if (known.startedAt) element.startedAt = known.startedAt;
        if (known.finishedAt) element.finishedAt = known.finishedAt;
      }
      this.put(c.Id, labels.names, element);
    }
    for (const id of [...this.byId.keys()]) if (!seen.has(id)) this.remove(id);
  }

  private onEvent(event: EngineEvent): void {
    if (event.Type === 'image') {
      if (IMAGE_EVENTS.has(event.Action)) this.changes.fire({ kind: 'images' });
      return;
    }
    if (event.Type !== 'container') return;
    const id = event.Actor?.ID ?? event.id;
    if (!id || (!this.byId.has(id) && !fromLabels(event.Actor?.Attributes))) return;
    if (event.Action === 'destroy') this.remove(id);
    else if (STATE_EVENTS.has(event.Action)) {
      this.refresh(id).catch((err: unknown) => this.log(`host ${this.name}: cannot inspect ${id.slice(0, 12)}: ${errorText(err)}`));
    }
  }

  private put(id: string, names: readonly string[], element: ElementInfo, inspect?: Inspect): void {
    const previous = this.byId.get(id);
    if (previous && previous.join('/') !== names.join('/')) this.remove(id);
    const holder = this.namespace.get(names);
    // Two containers at one anchor cannot happen through names; if labels were forged, the first stays.
    if (holder && holder.id !== id) return;
    this.byId.set(id, names);
    this.report(this.namespace.attach(names, element));
    this.updates.fire(inspect ? { names, element, inspect } : { names, element });
  }

  private remove(id: string): void {
    const names = this.byId.get(id);
    if (!names) return;
    this.byId.delete(id);
    this.report(this.namespace.detach(names));
    this.updates.fire({ names, element: null });
  }

  private report(changed: string[][]): void {
    if (changed.length > 0) this.changes.fire({ kind: 'elements', paths: changed.map((names) => formatPath(this.name, names)) });
  }
}

/** version and info take an abortSignal at run time; @types/dockerode does not say so. */
function engineCall<T>(docker: Docker, call: 'version' | 'info', abortSignal: AbortSignal): Promise<T> {
  return (docker[call] as unknown as (opts: { abortSignal: AbortSignal }) => Promise<T>).call(docker, { abortSignal });
}

function exitCodeOf(status: string): number | null {
  const m = /^Exited \((-?\d+)\)/.exec(status);
  return m ? Number(m[1]) : null;
}

/** The engine writes "0001-01-01T00:00:00Z" for a time that never happened. */
function definedTime<K extends string>(key: K, time: string | undefined): Partial<Record<K, string>> {
  return time && !time.startsWith('0001-') ? ({ [key]: time } as Record<K, string>) : {};
}

function errorText(err: unknown): string {
  const status = engineStatus(err);
  if (status) return status.message;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT' || e?.code === 'ECONNREFUSED') return `no engine answers (${e.code})`;
  return err instanceof Error ? err.message : String(err);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
