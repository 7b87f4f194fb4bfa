/** Stand-in host facts for the Run-spec language service's unit tests. */
import { ImageFacts, SpecFacts } from '../../server/spec/facts';

const day = 86400;
/** The time the tests pretend it is (ms): 2025-01-31T00:00:00Z. */
export const now = Date.UTC(2025, 0, 31);

export function imageFacts(partial: Partial<ImageFacts>): ImageFacts {
  return { id: 'sha256:' + 'a'.repeat(64), tags: [], size: 1_234_567, created: '2025-01-28T00:00:00Z', cmd: ['sh'], entrypoint: null, env: [], workingDir: '', exposedPorts: [], ...partial };
}

const images: Record<string, ImageFacts> = {
  'circuit-busybox:latest': imageFacts({
    id: 'sha256:' + 'b'.repeat(64),
    tags: ['circuit-busybox:latest'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8'],
    workingDir: '/home/app',
    exposedPorts: ['80/tcp'],
  }),
  'bare:1': imageFacts({ id: 'sha256:' + 'c'.repeat(64), tags: ['bare:1'], cmd: null, entrypoint: null }),
};

/** Host `local`, connected, 2 GiB, with circuit-busybox:latest and bare:1 (no command), and two volumes. */
export const localFacts: SpecFacts = {
  host: 'local',
  connected: true,
  memTotal: 2 * 1024 ** 3,
  images: [
    { id: images['circuit-busybox:latest']!.id, tags: ['circuit-busybox:latest'], size: 4_260_000, created: now / 1000 - 3 * day },
    { id: images['bare:1']!.id, tags: ['bare:1'], size: 1_000, created: now / 1000 - 40 * day },
    { id: 'sha256:' + 'd'.repeat(64), tags: ['<none>:<none>'], size: 10, created: now / 1000 - day },
  ],
  volumes: ['cache', 'data'],
  image(ref: string) {
    const name = ref.includes(':') ? ref : `${ref}:latest`;
    return images[name] ?? null;
  },
};
