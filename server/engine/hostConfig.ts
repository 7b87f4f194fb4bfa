import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DockerOptions } from 'dockerode';
import type { HostConfig } from '../../protocol';
import { isValidName, nameRule } from '../anchor/path';
import { describeValue, quote } from '../params';

/** A host as the server uses it: its configuration checked, with its endpoint understood. */
export interface HostEndpoint {
  name: string;
  /** The endpoint as configured, e.g. `unix:///var/run/docker.sock`. */
  docker: string;
  /** tcp:// without TLS. */
  insecure: boolean;
  /** The dockerode options, or the reason they cannot be made (e.g. an unreadable certificate). */
  options: DockerOptions | { error: string };
}

export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

/** Without configured hosts: one host named `local` from DOCKER_HOST or the default socket. */
export function defaultHosts(env: NodeJS.ProcessEnv = process.env): HostConfig[] {
  return [{ name: 'local', docker: env.DOCKER_HOST || DEFAULT_SOCKET }];
}

/**
 * Checks a `hosts` setting. Returns the hosts and one problem line per entry that was dropped, so one
 * bad entry never takes the good ones down with it.
 */
export function readHosts(value: unknown, env: NodeJS.ProcessEnv = process.env): { hosts: HostEndpoint[]; problems: string[] } {
  const problems: string[] = [];
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    return { hosts: defaultHosts(env).map((h) => endpoint(h, env)), problems };
  }
  if (!Array.isArray(value)) return { hosts: defaultHosts(env).map((h) => endpoint(h, env)), problems: [`circuit.hosts must be an array, got ${describeValue(value)}; using the default host`] };
  const hosts: HostEndpoint[] = [];
  value.forEach((entry: unknown, i) => {
    const problem = hostProblem(entry) ?? (hosts.some((h) => h.name === (entry as HostConfig).name) ? `the host name ${quote((entry as HostConfig).name)} is used twice` : undefined);
    if (problem) problems.push(`circuit.hosts[${i}]: ${problem}`);
    else hosts.push(endpoint(entry as HostConfig, env));
  });
  return { hosts, problems };
}

function hostProblem(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `a host is an object { name, docker }, got ${describeValue(entry)}`;
  const { name, docker, tlsVerify, certPath } = entry as Record<string, unknown>;
  if (typeof name !== 'string') return `name must be a string, got ${describeValue(name)}`;
  if (!isValidName(name)) return `${quote(name)} is not a host name: ${nameRule(name)}`;
  if (typeof docker !== 'string') return `docker must be an endpoint string such as "unix:///var/run/docker.sock", got ${describeValue(docker)}`;
  if (!/^unix:\/\/\/./.test(docker) && !(/^tcp:\/\/[^/]+$/.test(docker) && tcpAddress(docker))) return `${quote(docker)} is not an endpoint: use unix:///path/to/docker.sock or tcp://host:port`;
  if (tlsVerify !== undefined && typeof tlsVerify !== 'boolean') return `tlsVerify must be true or false, got ${describeValue(tlsVerify)}`;
  if (certPath !== undefined && typeof certPath !== 'string') return `certPath must be a folder path, got ${describeValue(certPath)}`;
  return undefined;
}

function endpoint(config: HostConfig, env: NodeJS.ProcessEnv): HostEndpoint {
  const { name, docker } = config;
  if (docker.startsWith('unix://')) return { name, docker, insecure: false, options: { socketPath: docker.slice('unix://'.length) } };
  // DOCKER_HOST is not checked like a configured host: a malformed one shows as a host that cannot connect.
  const url = tcpAddress(docker);
  if (!url) return { name, docker, insecure: false, options: { error: `${quote(docker)} is not an endpoint: use unix:///path/to/docker.sock or tcp://host:port` } };
  const certPath = config.certPath ?? (env.DOCKER_CERT_PATH || undefined);
  const tlsVerify = config.tlsVerify ?? (env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0');
  const tls = tlsVerify || certPath !== undefined;
  const port = Number(url.port || (tls ? 2376 : 2375));
  if (!tls) return { name, docker, insecure: true, options: { host: url.hostname, port, protocol: 'http' } };
  const dir = certPath ?? path.join(process.env.HOME ?? '/root', '.docker');
  try {
    const read = (f: string) => fs.readFileSync(path.join(dir, f));
    return { name, docker, insecure: false, options: { host: url.hostname, port, protocol: 'https', ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') } };
  } catch (err) {
    return { name, docker, insecure: false, options: { error: `cannot read the TLS certificates in ${dir}: ${(err as Error).message}` } };
  }
}

/** A tcp:// endpoint's host and port, or undefined when it is not one (`tcp://a b`, `tcp://[::1`, port 0 or over 65535). */
function tcpAddress(docker: string): URL | undefined {
  if (!docker.startsWith('tcp://')) return undefined;
  try {
    const url = new URL(docker.replace(/^tcp:/, 'http:'));
    return url.hostname !== '' && url.port !== '0' && url.pathname === '/' && url.search === '' && url.username === '' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function sameEndpoint(a: HostEndpoint, b: HostEndpoint): boolean {
  return a.name === b.name && a.docker === b.docker && JSON.stringify(a.options) === JSON.stringify(b.options);
}
