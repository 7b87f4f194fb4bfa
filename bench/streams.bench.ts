/**
 * Stdio throughput: a container's output read through circuit/attach (replay, a client that acks what
 * it consumed), beside two yardsticks in the same run on the same container: dockerode's attach straight
 * to the Engine API (logs, demultiplexed with docker-modem's demuxStream), and `docker logs -f` as a
 * process. All three read the same bytes the engine kept in the container's log; the rounds are
 * interleaved so the machine's noise falls on all of them alike.
 *
 * Run: node --import tsx bench/streams.bench.ts   (prints a BenchResult as JSON)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { MakeRequest, type Run, WaitRequest } from '../protocol';
import { docker, IMAGE, removeUnder } from '../test/support/engine';
import { startServer } from '../test/support/server';
import { SessionClient } from '../test/support/sessions';
import { type BenchResult, emit, fmt, row, runBench } from './result';
import { interleaved, log, summarize } from './stats';

const top = `bench-streams-${randomBytes(4).toString('hex')}`;
/** Output of the container read in each round: lines of 1000 bytes. */
const BYTES = 50_000_000;
const ROUNDS = 7;
const WARMUP = 1;

async function main(): Promise<void> {
  const server = await startServer();
  const client = new SessionClient(server.connection);
  const path = `/local/${top}/out`;
  try {
    log(`making a container that writes ${BYTES / 1e6} MB in lines of 1000 bytes`);
    const run: Run = { Image: IMAGE, Path: 'sh', Args: ['-c', `yes "$(printf '%0999d' 0)" | head -c ${BYTES}`] };
    const element = await server.connection.sendRequest(MakeRequest.type, { path, run });
    await server.connection.sendRequest(WaitRequest.type, { path });
    const container = docker.getContainer(element.id);

    const check = (who: string, bytes: number) => {
      if (bytes !== BYTES) throw new Error(`${who} read ${bytes} bytes, not ${BYTES}`);
    };
    let peakRss = server.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rss())), 50);

    log(`reading it ${ROUNDS} times each: circuit/attach vs dockerode attach vs docker logs -f`);
    const samples = await interleaved(
      {
        server: async () => {
          const s = await client.attach(path, { replay: true, keep: false });
          await s.detached;
          check('circuit/attach', s.bytes.total);
        },
        dockerode: async () => {
          const stream = (await container.attach({ stream: false, logs: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
          let bytes = 0;
          const counter = () => new Writable({ write: (chunk: Buffer, _enc, done) => ((bytes += chunk.length), done()) });
          await new Promise<void>((resolve, reject) => {
            docker.modem.demuxStream(stream, counter(), counter());
            stream.on('end', resolve);
            stream.on('error', reject);
          });
          check('dockerode attach', bytes);
        },
        'docker logs': async () => {
          const child = spawn('docker', ['logs', '-f', element.id], { stdio: ['ignore', 'pipe', 'pipe'] });
          let bytes = 0;
          child.stdout.on('data', (d: Buffer) => (bytes += d.length));
          child.stderr.on('data', (d: Buffer) => (bytes += d.length));
          const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
          if (status !== 0) throw new Error(`docker logs exited with ${status}`);
          check('docker logs -f', bytes);
        },
      },
      ROUNDS,
      WARMUP,
    );
    clearInterval(sampler);

    const throughput = (ms: number[]) => summarize(ms.map((t) => BYTES / 1e6 / (t / 1000)));
    const server_ = throughput(samples.server);
    const dockerode = throughput(samples.dockerode);
    const cli = throughput(samples['docker logs']);
    const result: BenchResult = {
      bench: 'streams',
      title: 'Stdio throughput',
      method: [
        `One container wrote ${BYTES / 1e6} MB to stdout (\`yes\` of 1000-byte lines) and exited; each contender then read all of it from the engine's log, ${ROUNDS} rounds each after ${WARMUP} warm-up, interleaved.`,
        'circuit/attach: replay through the server to a vscode-jsonrpc client in another process, base64 in JSON-RPC, the client acking every message (the 1 MiB window in force).',
        "dockerode attach: POST /containers/{id}/attach?logs=1 straight to the engine, docker-modem's demuxStream into counting streams (no flow control, no framing for a client).",
        'docker logs -f: the docker CLI as a process, its stdout and stderr read by this process.',
        'Throughput is MB (10^6 bytes) of container output per second, median and p95 over the rounds (p95: the fast end).',
      ],
      rows: [
        row('circuit/attach (replay, acked), MB/s', 'MB/s', server_),
        row('dockerode attach (logs), MB/s', 'MB/s', dockerode),
        row('docker logs -f (process), MB/s', 'MB/s', cli),
      ],
      goals: [],
      notes: [
        `circuit/attach reaches ${fmt((server_.median / dockerode.median) * 100)}% of dockerode's median and ${fmt((server_.median / cli.median) * 100)}% of docker logs'; the difference is the hop to a client: base64 (4/3 the bytes), JSON-RPC framing, and the acks.`,
        `The server's RSS peaked at ${fmt(peakRss / 1048576)} MiB over all the rounds.`,
        'Live output is bounded by the engine first: its log driver stores each line as an entry, so a container writing very short lines (`yes` alone, 2 bytes a line) is held to a few MB/s by the engine itself, whoever reads.',
      ],
    };
    emit(result);
  } finally {
    await server.stop();
    await removeUnder(top);
  }
}

runBench(main);
