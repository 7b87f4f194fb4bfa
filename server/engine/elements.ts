import type Docker from 'dockerode';
import type { AnchorInfo, ElementInfo, Inspect } from '../../protocol';
import { containerName, formatPath, parsePath } from '../anchor/path';
import { toLabels } from '../anchor/labels';
import { CircuitError, asCircuitError, engineStatus } from '../errors';
import { quote } from '../params';
import { checkRun } from '../run/validate';
import { canonicalRun } from '../run/canonical';
import { runToContainerConfig } from '../run/engine';
import { STREAM_LOG_CONFIG } from '../streams/logConfig';
import type { Disposable } from '../emitter';
import type { ElementUpdate, Host } from './host';
import type { Hosts } from './hosts';
import { parseSignal } from './signals';

/** A pending wait on one element. */
interface Waiter {
  /** The container waited on; an update showing another container (or none) means it was scrubbed. */
  id: string | undefined;
  resolve(inspect: Inspect): void;
  reject(err: CircuitError): void;
}

/** An element's place: its host and the names below the host. */
export interface ElementPath {
  host: Host;
  names: readonly string[];
  path: string;
}

/**
 * The element operations of Circuit's container element: make, peek, wait, signal, scrub, and view of
 * the anchors. Also the Scrub policy: a Scrub element is removed once its container exits, after every
 * pending wait got the final inspect.
 */
export class Elements {
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Containers being removed by this server (by id), so their waits fail as scrubbed, not as exited. */
  private readonly scrubbing = new Set<string>();
  /** Exits being finished (see finish), so that shutdown can let them complete. */
  private readonly finishing = new Set<Promise<void>>();
  private readonly subscription: Disposable;
  private lastMadeHost: string | undefined;

  constructor(private readonly hosts: Hosts, private readonly log: (message: string) => void) {
    this.subscription = hosts.onElement(({ host, update }) => this.onElement(host, update));
  }

  /** The host the user last made an element on, for host-dependent checks of Run specs. */
  get targetHost(): string | undefined {
    return this.lastMadeHost;
  }

  async view(pathValue: unknown): Promise<{ path: string; children: AnchorInfo[] }> {
    const { host: hostName, names } = parsePath(pathValue);
    if (hostName === undefined) {
      await Promise.all(this.hosts.all.map((h) => h.settled()));
      const children = this.hosts.all.map((h) => ({ name: h.name, path: formatPath(h.name), element: null, children: h.namespace.children([]).size }));
      return { path: '/', children };
    }
    const host = this.hosts.get(hostName);
    await host.settled();
    const path = formatPath(hostName, names);
    const children: AnchorInfo[] = [];
    for (const [name, node] of host.namespace.children(names)) {
      children.push({ name, path: `${path}/${name}`, element: node.element, children: node.children.size });
    }
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { path, children };
  }

  async make(pathValue: unknown, run: unknown): Promise<ElementInfo> {
    const { host, names, path } = this.elementPath(pathValue, 'make an element at');
    const problem = checkRun(run);
    if (problem) throw new CircuitError('invalid-run', problem.message, problem.field);
    await host.ready();
    // Read as Circuit's decoder would: `"image"` is Image (the validator warned about the spelling).
    const spec = canonicalRun(run);
    const config = runToContainerConfig(spec);
    const options: Docker.ContainerCreateOptions = {
      ...config,
      // Output is kept byte for byte by the engine, for the stdio sessions' replay (server/streams).
      HostConfig: { ...config.HostConfig, LogConfig: STREAM_LOG_CONFIG },
      name: containerName(names),
      Labels: toLabels({ names, scrub: spec.Scrub === true }),
    };
    const container = await this.create(host, options, path, spec.Image);
    try {
      await container.start();
    } catch (err) {
      await container.remove({ force: true }).catch(() => undefined);
      const message = engineStatus(err)?.message ?? String(err);
      throw new CircuitError('docker-error', `The container for ${path} was created but did not start: ${message.trim()}. It was removed; the anchor is free.`);
    }
    this.lastMadeHost = host.name;
    const inspect = await host.inspect(container.id);
    if (inspect) host.applyInspect(inspect);
    return (
      host.element(names) ?? {
        // A Scrub container that already exited and was removed.
        kind: 'docker', id: container.id, name: options.name!, image: spec.Image, state: 'exited', exitCode: null, scrub: spec.Scrub === true,
      }
    );
  }

  async peek(pathValue: unknown): Promise<Inspect> {
    const at = this.elementPath(pathValue, 'peek');
    const inspect = await this.inspectAt(at);
    at.host.applyInspect(inspect);
    return inspect;
  }

  /** The inspect once the container no longer runs; at once if it already exited. */
  async wait(pathValue: unknown, onCancel: (cancel: () => void) => void): Promise<Inspect> {
    const at = this.elementPath(pathValue, 'wait on');
    await at.host.ready();
    const key = waitKey(at.host, at.names);
    return new Promise<Inspect>((resolve, reject) => {
      const set = this.waiters.get(key) ?? new Set<Waiter>();
      this.waiters.set(key, set);
      const done = () => {
        set.delete(waiter);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
      };
      const waiter: Waiter = {
        id: undefined,
        resolve: (inspect) => (done(), resolve(inspect)),
        reject: (err) => (done(), reject(err)),
      };
      // Registered before the first look, so an exit between the look and the wait is not missed.
      set.add(waiter);
      onCancel(() => waiter.reject(new CircuitError('invalid-params', `The wait on ${at.path} was cancelled.`)));
      this.inspectAt(at).then((inspect) => {
        waiter.id ??= inspect.Id;
        if (!isRunning(inspect)) waiter.resolve(inspect);
      }, (err: unknown) => waiter.reject(asCircuitError(err)));
    });
  }

  async signal(pathValue: unknown, signalValue: unknown): Promise<null> {
    const at = this.elementPath(pathValue, 'signal');
    if (typeof signalValue !== 'string') throw new CircuitError('invalid-params', `signal must be a signal name such as "KILL"`, 'signal');
    const signal = parseSignal(signalValue);
    await at.host.ready();
    try {
      await at.host.docker.getContainer(containerName(at.names)).kill({ signal: 'SIG' + signal });
    } catch (err) {
      const status = engineStatus(err)?.statusCode;
      if (status === 404) throw noElement(at.path);
      if (status === 409) throw new CircuitError('not-running', `The element at ${at.path} is not running, so it cannot take signal ${signal}.`);
      throw asCircuitError(err);
    }
    return null;
  }

  /** Stops the container if it runs (SIGKILL, as `docker rm -f`), removes it and frees the anchor. */
  async scrub(pathValue: unknown): Promise<null> {
    const at = this.elementPath(pathValue, 'scrub');
    const inspect = await this.inspectAt(at);
    this.scrubbing.add(inspect.Id);
    this.rejectWaiters(at.host, at.names, at.path);
    try {
      await at.host.docker.getContainer(inspect.Id).remove({ force: true, v: true });
    } catch (err) {
      const status = engineStatus(err)?.statusCode;
      // 404: gone meanwhile; 409: a removal is already under way. Either way the element is leaving.
      if (status !== 404 && status !== 409) {
        this.scrubbing.delete(inspect.Id);
        throw asCircuitError(err);
      }
    }
    await at.host.refresh(inspect.Id).finally(() => this.scrubbing.delete(inspect.Id));
    return null;
  }

  /** The host and container of the element at a path, for the stdio sessions. */
  async resolve(pathValue: unknown): Promise<{ host: Host; id: string; path: string }> {
    const at = this.elementPath(pathValue, 'attach to');
    const cached = at.host.element(at.names);
    if (cached && at.host.connected) return { host: at.host, id: cached.id, path: at.path };
    const inspect = await this.inspectAt(at);
    return { host: at.host, id: inspect.Id, path: at.path };
  }

  /**
   * Waits (at most `timeoutMs`) for the exits under way to be finished: waits answered, Scrub elements
   * removed. A short-lived server (the CLI's) calls it at shutdown, so a Scrub element it saw exit is
   * removed before it goes, not left for the next server.
   */
  async settle(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.finishing]), timeout]);
    clearTimeout(timer);
  }

  dispose(): void {
    this.subscription.dispose();
    for (const set of this.waiters.values()) {
      for (const w of [...set]) w.reject(new CircuitError('host-unreachable', 'The server is shutting down.'));
    }
  }

  // -------------------------------------------------------------------------------------------------

  private elementPath(pathValue: unknown, verb: string): ElementPath {
    const { host: hostName, names } = parsePath(pathValue);
    const path = formatPath(hostName, names);
    if (hostName === undefined || names.length === 0) {
      throw new CircuitError('invalid-path', `Cannot ${verb} ${path}: elements live below a host, as in /${hostName ?? 'local'}/app.`, 'path');
    }
    return { host: this.hosts.get(hostName), names, path };
  }

  private async inspectAt(at: ElementPath): Promise<Inspect> {
    await at.host.ready();
    let inspect: Inspect | undefined;
    try {
      inspect = await at.host.inspect(containerName(at.names));
    } catch (err) {
      throw asCircuitError(err);
    }
    if (!inspect) throw noElement(at.path);
    return inspect;
  }

  private async create(host: Host, options: Docker.ContainerCreateOptions, path: string, image: string): Promise<Docker.Container> {
    for (let pulled = false; ; pulled = true) {
      try {
        return await host.docker.createContainer(options);
      } catch (err) {
        const status = engineStatus(err);
        if (status?.statusCode === 409) throw new CircuitError('anchor-busy', `The anchor ${path} already holds an element; scrub it first.`);
        if (status?.statusCode !== 404 || pulled) throw asCircuitError(err);
      }
      await this.pull(host, image);
    }
  }

  private async pull(host: Host, image: string): Promise<void> {
    const failed = (why: string) => new CircuitError('image-not-found', `The image ${quote(image)} is not on host ${host.name}, and pulling it failed: ${why.trim()}`, 'Image');
    let stream: NodeJS.ReadableStream;
    try {
      stream = await host.docker.pull(image, { abortSignal: AbortSignal.timeout(120_000) });
    } catch (err) {
      throw failed(engineStatus(err)?.message ?? String(err));
    }
    await new Promise<void>((resolve, reject) => {
      host.docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
        const error = err?.message ?? output.find((o) => o.error)?.error;
        if (error) reject(failed(error));
        else resolve();
      });
    });
  }

  private onElement(host: Host, update: ElementUpdate): void {
    const { element, names } = update;
    const key = waitKey(host, names);
    const waiters = this.waiters.get(key);
    if (element === null) {
      if (waiters) this.rejectWaiters(host, names, formatPath(host.name, names));
      return;
    }
    if (element.state !== 'exited' && element.state !== 'dead') {
      if (waiters) for (const w of waiters) if (w.id !== undefined && w.id !== element.id) w.reject(scrubbedError(formatPath(host.name, names)));
      return;
    }
    if (!waiters && !element.scrub) return;
    if (element.scrub && this.scrubbing.has(element.id)) return;
    if (element.scrub) this.scrubbing.add(element.id);
    const finishing = this.finish(host, names, element, update.inspect);
    this.finishing.add(finishing);
    void finishing.finally(() => this.finishing.delete(finishing));
  }

  /** An element's container exited: give waiters the final inspect, then remove it if it is a Scrub element. */
  private async finish(host: Host, names: readonly string[], element: ElementInfo, known: Inspect | undefined): Promise<void> {
    try {
      const inspect = known ?? (await host.inspect(element.id));
      for (const w of [...(this.waiters.get(waitKey(host, names)) ?? [])]) {
        if (!inspect) w.reject(scrubbedError(formatPath(host.name, names)));
        else if (w.id === undefined || w.id === inspect.Id) w.resolve(inspect);
      }
      if (element.scrub) {
        await host.docker.getContainer(element.id).remove({ force: true, v: true }).catch((err: unknown) => {
          const status = engineStatus(err)?.statusCode;
          if (status !== 404 && status !== 409) throw err;
        });
        await host.refresh(element.id);
      }
    } catch (err) {
      this.log(`host ${host.name}: finishing ${formatPath(host.name, names)} failed: ${asCircuitError(err).message}`);
    } finally {
      if (element.scrub) this.scrubbing.delete(element.id);
    }
  }

  private rejectWaiters(host: Host, names: readonly string[], path: string): void {
    for (const w of [...(this.waiters.get(waitKey(host, names)) ?? [])]) w.reject(scrubbedError(path));
  }
}

function waitKey(host: Host, names: readonly string[]): string {
  return host.name + '/' + names.join('/');
}

function isRunning(inspect: Inspect): boolean {
  const status = inspect.State.Status;
  return status === 'running' || status === 'paused' || status === 'restarting';
}

function noElement(path: string): CircuitError {
  return new CircuitError('no-element', `There is no element at ${path}.`);
}

function scrubbedError(path: string): CircuitError {
  return new CircuitError('scrubbed', `The element at ${path} was scrubbed while waiting for it to exit.`);
}
