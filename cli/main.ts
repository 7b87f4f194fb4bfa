/**
 * `circuit`: Circuit's command-line verbs over the language server. Reads the command line, starts the
 * server as a child process, runs one verb, and exits 0 on success; on failure it prints one line
 * naming the reason and exits non-zero (2 for a usage error, 130 after Ctrl-C).
 */
import type { HostConfig } from '../protocol';
import { ServerConnection } from './connection';
import { CliError, errorLine } from './format';
import { INTERRUPTED, type VerbContext } from './verbs/context';
import { hosts } from './verbs/hosts';
import { ls } from './verbs/ls';
import { mkdkr } from './verbs/mkdkr';
import { peek } from './verbs/peek';
import { scrub } from './verbs/scrub';
import { signal } from './verbs/signal';
import { attach, stderr, stdin, stdout } from './verbs/stdio';
import { wait } from './verbs/wait';

interface Verb {
  run(ctx: VerbContext): Promise<number>;
  /** Positional arguments; a trailing `?` marks an optional one. */
  args: string[];
  flags?: string[];
  /** Options that take a value. */
  options?: string[];
  summary: string;
}

const verbs: Record<string, Verb> = {
  hosts: { run: hosts, args: [], summary: 'the configured Docker hosts and whether they are connected' },
  ls: { run: ls, args: ['PATH?'], flags: ['-l'], summary: 'the anchors under PATH (PATH/... for the whole subtree); -l with their elements' },
  mkdkr: { run: mkdkr, args: ['PATH'], options: ['-f'], flags: ['--scrub'], summary: 'make a container at PATH from a Run spec (-f FILE, else stdin); --scrub sets Scrub' },
  peek: { run: peek, args: ['PATH'], summary: "the element's status: the engine's inspect JSON" },
  wait: { run: wait, args: ['PATH'], summary: 'wait until the container exits, then print its status' },
  signal: { run: signal, args: ['SIG', 'PATH'], summary: 'send a signal (KILL, TERM, INT, ...) to the container' },
  scrub: { run: scrub, args: ['PATH'], summary: 'stop the container if it runs, remove it, free the anchor' },
  stdin: { run: stdin, args: ['PATH'], summary: "copy this stdin to the container's stdin, then close it" },
  stdout: { run: stdout, args: ['PATH'], summary: "copy the container's stdout, from the start, until it exits" },
  stderr: { run: stderr, args: ['PATH'], summary: "copy the container's stderr, from the start, until it exits" },
  attach: { run: attach, args: ['PATH'], flags: ['--no-replay'], summary: "the container's output and this stdin to its stdin; Ctrl-C detaches" },
};

function usage(): string {
  const lines = [
    'usage: circuit [--host NAME=ENDPOINT]... [--json] VERB ARGS',
    '',
    ...Object.entries(verbs).map(([name, v]) => {
      const synopsis = [name, ...(v.flags ?? []).map((f) => `[${f}]`), ...(v.options ?? []).map((o) => `[${o} FILE]`), ...v.args.map((a) => (a.endsWith('?') ? `[${a.slice(0, -1)}]` : a))].join(' ');
      return `  ${synopsis.padEnd(34)} ${v.summary}`;
    }),
    '',
    'Hosts: --host NAME=ENDPOINT (repeatable), ENDPOINT unix:///path/to/docker.sock or tcp://host:port.',
    'Without --host: one host named "local" at DOCKER_HOST, else unix:///var/run/docker.sock.',
    '--json prints JSON for every verb. Exit status: 0 success, 1 failure, 2 usage, 130 Ctrl-C.',
  ];
  return lines.join('\n') + '\n';
}

interface CommandLine {
  verb: string | undefined;
  args: string[];
  flags: Set<string>;
  options: Map<string, string>;
  hosts: HostConfig[];
  json: boolean;
  help: boolean;
}

/** Reads the command line; throws a usage CliError for anything it does not know. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const line: CommandLine = { verb: undefined, args: [], flags: new Set(), options: new Map(), hosts: [], json: false, help: false };
  let onlyArgs = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const takeValue = (name: string): string => {
      const eq = word.indexOf('=');
      if (word.startsWith('--') && eq > 0) return word.slice(eq + 1);
      const value = argv[++i];
      if (value === undefined) throw usageError(`${name} needs a value`);
      return value;
    };
    if (onlyArgs || !word.startsWith('-') || word === '-') {
      if (line.verb === undefined) line.verb = word;
      else line.args.push(word);
      continue;
    }
    const name = word.startsWith('--') && word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
    if (word === '--') onlyArgs = true;
    else if (word === '-h' || word === '--help') line.help = true;
    else if (word === '--json') line.json = true;
    else if (name === '--host') line.hosts.push(parseHost(takeValue('--host')));
    else {
      const verb = line.verb === undefined ? undefined : verbs[line.verb];
      if (verb?.flags?.includes(word)) line.flags.add(word);
      else if (verb?.options?.includes(name)) line.options.set(name, takeValue(name));
      else throw usageError(`unknown option ${word}${line.verb ? ` for ${line.verb}` : ''}`);
    }
  }
  return line;
}

function parseHost(value: string): HostConfig {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw usageError(`--host takes NAME=ENDPOINT, e.g. local=unix:///var/run/docker.sock; got ${JSON.stringify(value)}`);
  return { name: value.slice(0, eq), docker: value.slice(eq + 1) };
}

function usageError(message: string): CliError {
  return new CliError('usage', `${message} (circuit --help)`, 2);
}

function write(stream: NodeJS.WriteStream, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) return reject(Object.assign(new Error('output closed'), { code: 'EPIPE' }));
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  // A closed pipe on our output is seen by the writes; it must not end the process with an error event.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  let server: Promise<ServerConnection> | undefined;
  let interruptHandler: (() => Promise<number>) | undefined;
  let markInterrupted!: () => void;
  const interrupted = new Promise<void>((resolve) => (markInterrupted = resolve));
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(INTERRUPTED);
    markInterrupted();
  });
  try {
    const line = parseCommandLine(argv);
    if (line.help || line.verb === undefined || line.verb === 'help') {
      await write(line.verb === undefined && !line.help ? process.stderr : process.stdout, usage());
      return line.verb === undefined && !line.help ? 2 : 0;
    }
    const verb = verbs[line.verb];
    if (!verb) throw usageError(`unknown verb ${JSON.stringify(line.verb)}`);
    const required = verb.args.filter((a) => !a.endsWith('?')).length;
    if (line.args.length < required || line.args.length > verb.args.length) {
      throw usageError(`${line.verb} takes ${verb.args.join(' ') || 'no arguments'}`);
    }
    const ctx: VerbContext = {
      args: line.args,
      flags: line.flags,
      options: line.options,
      json: line.json,
      server: () => (server ??= ServerConnection.start(line.hosts.length > 0 ? line.hosts : undefined)),
      out: (data) => write(process.stdout, data),
      err: (data) => write(process.stderr, data),
      onInterrupt: (handler) => (interruptHandler = handler),
      interrupted,
    };
    const running = verb.run(ctx);
    running.catch(() => undefined);
    // After Ctrl-C the verb's own outcome (a cancelled wait, say) no longer counts: the handler's does.
    let wasInterrupted = false;
    const afterInterrupt = interrupted.then(() => {
      wasInterrupted = true;
      return interruptHandler ? interruptHandler() : INTERRUPTED;
    });
    try {
      const status = await Promise.race([running, afterInterrupt]);
      return wasInterrupted ? await afterInterrupt : status;
    } catch (err) {
      if (wasInterrupted) return await afterInterrupt;
      throw err;
    }
  } catch (err) {
    await write(process.stderr, errorLine(err) + '\n').catch(() => undefined);
    return err instanceof CliError ? err.status : 1;
  } finally {
    if (server) await server.then((s) => s.close(), () => undefined);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((status) => process.exit(status));
}
