// Imports the local busybox image that tests, benchmarks and the demo run: there is no registry here,
// so the image is made from Debian's busybox-static and imported through the Engine API.
// Idempotent: does nothing when the image is already present.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';

export const IMAGE = 'circuit-busybox:latest';
const APPLETS = ['sh', 'cat', 'echo', 'sleep', 'ls', 'true', 'false', 'env', 'yes', 'head', 'wc', 'printf', 'od', 'tr', 'seq', 'dd', 'kill', 'ps', 'id', 'pwd', 'hostname', 'date', 'grep', 'sed', 'tail', 'nc', 'sha256sum', 'base64', 'xxd', 'hexdump', 'tee', 'test', 'mkdir', 'rm', 'touch', 'uname', 'top', 'httpd', 'wget', 'vi'];

const docker = new Docker(dockerOptions());

function dockerOptions() {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host?.startsWith('tcp://')) {
    const u = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: u.hostname, port: Number(u.port || 2375) };
  }
  return { socketPath: '/var/run/docker.sock' };
}

export async function ensureImage(d = docker, name = IMAGE) {
  try {
    await d.getImage(name).inspect();
    return false;
  } catch (err) {
    if (err?.statusCode !== 404) throw err;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'circuit-image-'));
  try {
    fs.mkdirSync(path.join(root, 'bin'));
    fs.mkdirSync(path.join(root, 'tmp'), { mode: 0o1777 });
    fs.mkdirSync(path.join(root, 'etc'));
    fs.mkdirSync(path.join(root, 'data'));
    fs.copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
    fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
    for (const a of APPLETS) fs.symlinkSync('busybox', path.join(root, 'bin', a));
    fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    const tarball = path.join(root, '..', path.basename(root) + '.tar');
    execFileSync('tar', ['-C', root, '-cf', tarball, '.']);
    const [repo, tag] = name.split(':');
    const stream = await d.importImage(tarball, {
      repo,
      tag,
      changes: ['ENV PATH=/bin', 'CMD ["sh"]', 'WORKDIR /'],
    });
    await new Promise((resolve, reject) =>
      d.modem.followProgress(stream, (err, out) => {
        const failed = err ?? out.find((o) => o.error)?.error;
        failed ? reject(new Error(String(failed))) : resolve(out);
      }),
    );
    fs.rmSync(tarball, { force: true });
    return true;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const made = await ensureImage();
  console.error(`[engine] image ${IMAGE} ${made ? 'imported' : 'present'}`);
}
