/**
 * The two Engine API calls behind container stdio, as raw streams: a container's log (GET
 * /containers/{id}/logs, multiplexed frames) and an attachment that carries only stdin (POST
 * /containers/{id}/attach, hijacked). dockerode's `container.logs` buffers the whole answer unless it
 * follows, so both go through the modem directly.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';

export interface LogQuery {
  follow: boolean;
  /** "all" or a count of entries from the end. */
  tail?: string;
  /** "seconds.nanoseconds": entries at or after this time. */
  since?: string;
}

/** The container's log as a stream of multiplexed frames, each entry prefixed with its time. */
export function openLog(docker: Docker, id: string, query: LogQuery): Promise<IncomingMessage> {
  const options: Record<string, string> = { stdout: '1', stderr: '1', timestamps: '1', follow: query.follow ? '1' : '0' };
  if (query.tail !== undefined) options.tail = query.tail;
  if (query.since !== undefined) options.since = query.since;
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(id)}/logs?`,
        method: 'GET',
        options,
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error', 501: 'logs not supported' },
      },
      (err, res) => (err ? reject(err) : resolve(res as IncomingMessage)),
    );
  });
}

/** The time of the container's last log entry (as the engine wrote it), or undefined for an empty log. */
export async function lastLogTime(docker: Docker, id: string): Promise<string | undefined> {
  const res = await openLog(docker, id, { follow: false, tail: '1' });
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  if (all.length < 8) return undefined;
  const payload = all.subarray(8, 8 + all.readUInt32BE(4)).toString('latin1');
  const space = payload.indexOf(' ');
  return space > 0 ? payload.slice(0, space) : undefined;
}

/** An attachment carrying only the container's stdin: write to it; ending it gives the container end-of-file. */
export function openStdin(docker: Docker, id: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(id)}/attach?`,
        method: 'POST',
        options: { stream: '1', stdin: '1', stdout: '0', stderr: '0' },
        hijack: true,
        openStdin: true,
        isStream: true,
        statusCodes: { 101: true, 200: true, 404: 'no such container', 409: 'container is paused', 500: 'server error' },
      },
      (err, socket) => (err ? reject(err) : resolve(socket as Duplex)),
    );
  });
}
