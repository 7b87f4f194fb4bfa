import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import Docker from 'dockerode';
import { ANCHOR_LABEL } from '../../server/anchor/labels';
import { until } from './server';

/** The local image every test runs (imported by scripts/ensure-engine.sh; nothing is ever pulled). */
export const IMAGE = 'circuit-busybox:latest';

export const docker = new Docker(process.env.DOCKER_HOST?.startsWith('unix://') ? { socketPath: process.env.DOCKER_HOST.slice(7) } : { socketPath: '/var/run/docker.sock' });

/** A fresh anchor name for one test run, so leftovers of an interrupted run never collide. */
export function uniqueName(tag: string): string {
  return `t-${tag}-${randomBytes(4).toString('hex')}`;
}

/** Removes every container whose anchor lies under `/<first>` (names below the host). */
export async function removeUnder(first: string, engine: Docker = docker): Promise<void> {
  const list = await engine.listContainers({ all: true, filters: { label: [ANCHOR_LABEL] } });
  await Promise.all(
    list
      .filter((c) => c.Labels[ANCHOR_LABEL] === '/' + first || c.Labels[ANCHOR_LABEL]?.startsWith('/' + first + '/'))
      .map((c) => engine.getContainer(c.Id).remove({ force: true }).catch(() => undefined)),
  );
}

/**
 * A second, independent Docker Engine in its own network namespace (a second dockerd in the same
 * namespace would delete the first one's docker0 bridge). Its socket is a file, reachable from here.
 */
export class SecondEngine {
  readonly dir: string;
  readonly socket: string;
  readonly docker: Docker;

  constructor(readonly id = 'circuit-d2') {
    this.dir = `/tmp/${id}`;
    this.socket = `${this.dir}/docker.sock`;
    this.docker = new Docker({ socketPath: this.socket });
  }

  get endpoint(): string {
    return `unix://${this.socket}`;
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    if (!fs.existsSync(`/var/run/netns/${this.id}`)) {
      execFileSync('ip', ['netns', 'add', this.id]);
      execFileSync('ip', ['netns', 'exec', this.id, 'ip', 'link', 'set', 'lo', 'up']);
    }
    const log = fs.openSync(`${this.dir}/log`, 'a');
    const child = spawn('nsenter', [`--net=/var/run/netns/${this.id}`, 'dockerd', '-H', this.endpoint, '--data-root', `${this.dir}/data`, '--exec-root', `${this.dir}/exec`, '--pidfile', `${this.dir}/pid`], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.unref();
    fs.closeSync(log);
    await until(() => this.docker.ping().then(() => true, () => false), 30_000, `second engine ${this.id} answering`);
    try {
      await this.docker.getImage(IMAGE).inspect();
    } catch {
      const { ensureImage } = await import('../../scripts/image.mjs');
      await ensureImage(this.docker);
    }
  }

  /** Kills the engine (as a crash would) and waits until its socket stops answering. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const pid = this.pid();
    if (pid) {
      try {
        process.kill(pid, signal);
      } catch {
        /* already gone */
      }
      await until(() => !alive(pid), 30_000, `second engine ${this.id} stopping`);
    }
  }

  /** Stops the engine and removes its namespace; its data stays for the next start. */
  async destroy(): Promise<void> {
    await this.stop();
    try {
      execFileSync('ip', ['netns', 'del', this.id]);
    } catch {
      /* not there */
    }
  }

  private pid(): number | undefined {
    try {
      return Number(fs.readFileSync(`${this.dir}/pid`, 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
