import * as fs from 'node:fs';
import { SecondEngine } from '../test/support/engine';

/**
 * A Docker Engine of the bench's own (a SecondEngine: its own dockerd, network namespace and data
 * dir), so that 1,000 containers and an idle engine are measured without anyone else's containers or
 * requests on it. Starts empty: leftovers of an interrupted run are removed.
 */
export async function startPrivateEngine(id: string): Promise<SecondEngine> {
  const engine = new SecondEngine(id);
  // A containerd killed with an earlier dockerd can linger as a zombie; dockerd would wait for it in vain.
  const pidFile = `${engine.dir}/exec/containerd/containerd.pid`;
  const pid = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : '';
  const stat = pid && fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  if (!stat || /\) Z /.test(stat)) fs.rmSync(pidFile, { force: true });
  await engine.start();
  const left = await engine.docker.listContainers({ all: true });
  await Promise.all(left.map((c) => engine.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return engine;
}

/** Removes every container on the engine, stops it and deletes its data dir (when nothing is mounted there). */
export async function discardPrivateEngine(engine: SecondEngine): Promise<void> {
  const all = await engine.docker.listContainers({ all: true }).catch(() => []);
  for (let i = 0; i < all.length; i += 25) {
    await Promise.all(all.slice(i, i + 25).map((c) => engine.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  }
  await engine.destroy();
  if (!fs.readFileSync('/proc/self/mounts', 'utf8').includes(engine.dir + '/')) fs.rmSync(engine.dir, { recursive: true, force: true });
}
