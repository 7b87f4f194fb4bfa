/**
 * A real VS Code for the end-to-end tests: code-server (installed by scripts/install-code-server.sh into a
 * cache folder outside the repo) with the packaged extension, its own user-data, extensions, XDG and
 * temp folders, on a free port of 127.0.0.1.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, until } from '../support/server';

export interface CodeServer {
  url: string;
  /** The run's own folder (user data, extensions, XDG dirs, logs). */
  dir: string;
  extensionsDir: string;
  process: ChildProcess;
  /** Everything code-server printed. */
  log(): string;
  stop(): Promise<void>;
}

/** The code-server executable, installing it first when missing (about a minute, once). */
export function codeServerExecutable(): string {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/install-code-server.sh'), '--browser'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() ?? '';
}

/** Builds the bundles and packages the .vsix the tests install, as a user would. */
export function packageExtension(): string {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/package.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() ?? '';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startCodeServer(options: { executable: string; vsix: string; settings?: Record<string, unknown>; workspaceTrust?: boolean }): Promise<CodeServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circuit-e2e-'));
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  for (const d of ['config', 'data', 'cache', 'tmp', 'user-data/User', 'extensions']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/code-server-settings.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify({ ...base, ...options.settings }, null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    TMPDIR: path.join(dir, 'tmp'),
    EXTENSIONS_GALLERY: '{}',
  };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  execFileSync(options.executable, [...common, '--install-extension', options.vsix, '--force'], { env, stdio: 'pipe' });

  const port = await freePort();
  const args = [
    ...common,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  // Its own process group, so stopping it ends the extension host and the language server with it.
  const child = spawn(options.executable, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
      return fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    },
    30_000,
    'code-server answering /healthz',
  );
  return {
    url,
    dir,
    extensionsDir,
    process: child,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 5000);
        await closed;
        clearTimeout(timer);
      }
      if (process.env.E2E_KEEP === undefined) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The PIDs of the language servers this code-server's extension host started (from /proc). */
export function languageServerPids(server: CodeServer): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const argv = cmdline.split('\0');
    if (argv.some((a) => a.startsWith(server.extensionsDir) && a.endsWith('dist/server.js')) && argv.includes('--stdio')) pids.push(Number(entry));
  }
  return pids;
}
