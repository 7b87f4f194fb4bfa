/**
 * Scale and engine load, on an engine of the bench's own (nobody else's containers or requests on it):
 *   - engine API calls the server makes while idle with 100 elements, counted by a unix-socket proxy
 *     between the server and the engine;
 *   - with 1,000 elements on one host: server start to the full tree, circuit/view of the host, the
 *     server's memory; beside `docker ps -a` as a process and dockerode's list.
 * Containers are created straight through the Engine API with the labels and names the server gives its
 * own (created, not started: the server's work, list, cache and view, does not depend on the state,
 * and 1,000 running containers would need 1,000 shims on this machine).
 *
 * Run: node --import tsx bench/scale.bench.ts   (prints a BenchResult as JSON)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SecondEngine } from '../test/support/engine';
import { ViewRequest } from '../protocol';
import { toLabels } from '../server/anchor/labels';
import { containerName } from '../server/anchor/path';
import { runToContainerConfig } from '../server/run/engine';
import { IMAGE } from '../test/support/engine';
import { startServer } from '../test/support/server';
import { CountingProxy } from './countingProxy';
import { discardPrivateEngine, startPrivateEngine } from './privateEngine';
import { type BenchResult, emit, fmt, row, runBench } from './result';
import { log, summarize, timed } from './stats';

const run = promisify(execFile);
const HOST = 'bench';
const IDLE_MS = Number(process.env.CIRCUIT_BENCH_IDLE_MS ?? 60_000);
const START_ROUNDS = 7;
const VIEW_ROUNDS = 300;
const LIST_ROUNDS = 10;

async function main(): Promise<void> {
  const engine = await startPrivateEngine('circuit-bench');
  try {
    // --- Engine load while idle, 100 elements -----------------------------------------------------
    let made = await createElements(engine, 0, 100);
    log(`engine load: ${made.count} elements, idle for ${IDLE_MS / 1000} s behind a counting proxy`);
    const proxy = new CountingProxy(engine.socket, `${engine.dir}/counting.sock`);
    await proxy.listen();
    const watched = await startServer({ hosts: [{ name: HOST, docker: proxy.endpoint }] });
    const shown = (await watched.connection.sendRequest(ViewRequest.type, { path: `/${HOST}` })).children.length;
    if (shown !== 100) throw new Error(`the server shows ${shown} elements, not 100`);
    // The initial calls are over once the tree is there; from then on the server only follows events.
    const idleFrom = Date.now();
    const initial = proxy.callsSince(0);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idle = proxy.callsSince(idleFrom);
    await watched.stop();
    await proxy.close();
    const perMinute = (idle.length * 60_000) / IDLE_MS;

    // --- 1,000 elements ---------------------------------------------------------------------------
    const more = await createElements(engine, 100, 900);
    made = { count: made.count + more.count, ms: made.ms + more.ms };
    log(`scale: ${made.count} elements created in ${(made.ms / 1000).toFixed(1)} s; server start to full tree`);
    const startToTree: number[] = [];
    const view: number[] = [];
    let rss = 0;
    let rssBefore = 0;
    for (let i = 0; i < START_ROUNDS; i++) {
      const start = performance.now();
      const server = await startServer({ hosts: [{ name: HOST, docker: engine.endpoint }] });
      const tree = await server.connection.sendRequest(ViewRequest.type, { path: `/${HOST}` });
      startToTree.push(performance.now() - start);
      if (tree.children.length !== 1000) throw new Error(`the server shows ${tree.children.length} elements, not 1000`);
      if (i === START_ROUNDS - 1) {
        rssBefore = server.rss();
        for (let v = 0; v < VIEW_ROUNDS; v++) view.push(await timed(() => server.connection.sendRequest(ViewRequest.type, { path: `/${HOST}` })));
        rss = server.rss();
      }
      await server.stop();
    }
    log('scale: docker ps -a and dockerode list');
    const psA: number[] = [];
    const list: number[] = [];
    for (let i = 0; i < LIST_ROUNDS; i++) {
      psA.push(await timed(() => run('docker', ['-H', engine.endpoint, 'ps', '-a'], { maxBuffer: 64 * 1024 * 1024 })));
      list.push(await timed(() => engine.docker.listContainers({ all: true })));
    }

    const s = { start: summarize(startToTree), view: summarize(view), psA: summarize(psA), list: summarize(list) };
    const breakdown = countBy(initial.map((c) => `${c.method} ${c.path}`));
    const result: BenchResult = {
      bench: 'scale',
      title: 'Scale (1,000 elements on one host) and engine load while idle',
      method: [
        `An engine of the bench's own (a second dockerd in its own network namespace), so no one else's containers or requests are on it. ${made.count} containers created through the Engine API with the server's labels and names, one anchor each directly under the host (${(made.ms / 1000).toFixed(1)} s to create them); created, not started.`,
        `Engine load: the server connected to the engine through a unix-socket proxy that counts every HTTP request, with 100 elements, then left idle for ${IDLE_MS / 1000} s.`,
        `Start to full tree: from spawning \`node dist/server.js --stdio\` until its first circuit/view of the host returns all 1,000 children (process start, initialize, connect, list, answer), ${START_ROUNDS} times. View: ${VIEW_ROUNDS} circuit/view of the host, served from the event-kept cache. RSS from /proc after the views. Yardsticks: \`docker ps -a\` as a process and dockerode's list of all containers, ${LIST_ROUNDS} times each.`,
      ],
      rows: [
        row('server start until the full tree of 1,000 is shown', 'ms', s.start),
        row('circuit/view of a host with 1,000 children', 'ms', s.view),
        row('`docker ps -a` process, 1,000 containers (yardstick)', 'ms', s.psA),
        row('dockerode list of all containers, 1,000 (yardstick)', 'ms', s.list),
        row('server RSS with 1,000 elements, after the views', 'MB', { n: 1, median: rss / 2 ** 20, p95: rss / 2 ** 20, min: rssBefore / 2 ** 20 }),
        row(`engine API calls per minute while idle (100 elements, ${IDLE_MS / 1000} s)`, 'calls', { n: 1, median: perMinute, p95: perMinute, min: perMinute }),
      ],
      goals: [
        { goal: 'View under 20 ms from the event-kept cache', measured: `p95 ${fmt(s.view.p95)} ms, median ${fmt(s.view.median)} ms (\`docker ps -a\`: median ${fmt(s.psA.median)} ms)`, met: s.view.p95 < 20 },
        { goal: 'Server RSS under 150 MB with 1,000 elements', measured: `${fmt(rss / 2 ** 20)} MB`, met: rss < 150 * 2 ** 20 },
        {
          goal: 'Zero engine API calls while idle after the initial list; events only',
          measured: `${idle.length} calls in ${IDLE_MS / 1000} s (${fmt(perMinute)} per minute); the initial ${initial.length}: ${Object.entries(breakdown).map(([k, n]) => `${k} ×${n}`).join(', ')}`,
          met: idle.length === 0,
        },
      ],
      notes: [`The RSS row's "min" column is the RSS right after the first view of 1,000, before the ${VIEW_ROUNDS} views.`],
    };
    emit(result);
  } finally {
    log('discarding the bench engine and its containers');
    await discardPrivateEngine(engine);
  }
}

/** Creates `count` elements c<from>..., each at /<HOST>/c<n>, through the Engine API in batches. */
async function createElements(engine: SecondEngine, from: number, count: number): Promise<{ count: number; ms: number }> {
  const start = performance.now();
  const config = runToContainerConfig({ Image: IMAGE, Path: 'sleep', Args: ['600'] });
  for (let i = from; i < from + count; i += 25) {
    const batch = Array.from({ length: Math.min(25, from + count - i) }, (_, k) => [`c${String(i + k).padStart(4, '0')}`]);
    await Promise.all(batch.map((names) => engine.docker.createContainer({ ...config, name: containerName(names), Labels: toLabels({ names, scrub: false }) })));
  }
  return { count, ms: performance.now() - start };
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}

runBench(main);
