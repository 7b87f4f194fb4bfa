/**
 * The Circuit protocol: every custom request and notification that crosses between the language server
 * and its clients (the VS Code extension, the `circuit` CLI, any other editor or script).
 *
 * Each message is declared once, with its params and result types and a doc comment naming the sender.
 * docs/protocol.md describes the same messages; test/unit/protocol-doc.test.ts keeps the two in step.
 *
 * This module imports only vscode-languageserver-protocol, so both sides can bundle it.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

// ---------------------------------------------------------------------------------------------------
// Shared shapes

/**
 * A Run spec: exactly the fields of Circuit's docker.Run. Written in `*.circuit.json` files and passed to
 * `circuit/make`.
 */
export interface Run {
  /** Image reference, e.g. `busybox:latest`. Required. */
  Image: string;
  /** Memory limit in bytes (`docker run --memory`). 0 or absent: no limit. */
  Memory?: number;
  /** Relative CPU weight (`docker run --cpu-shares`). */
  CpuShares?: number;
  /** Obsolete LXC options; the cgroup keys with a Docker equivalent are translated. */
  Lxc?: string[];
  /** Volumes in `docker run -v` syntax: `/ctr`, `src:/ctr` or `src:/ctr:opts`. */
  Volume?: string[];
  /** Working directory inside the container (`docker run --workdir`). */
  Dir?: string;
  /** Entrypoint (`docker run --entrypoint`). */
  Entry?: string;
  /** Environment, `KEY=value` each (`docker run --env`). */
  Env?: string[];
  /** The program to run; with Args it forms the command. */
  Path?: string;
  /** Arguments of Path. */
  Args?: string[];
  /** Detach and remove the element as soon as its container exits. */
  Scrub?: boolean;
}

/** The names of Run's fields, in Circuit's order. */
export const runFields = ['Image', 'Memory', 'CpuShares', 'Lxc', 'Volume', 'Dir', 'Entry', 'Env', 'Path', 'Args', 'Scrub'] as const;
export type RunField = (typeof runFields)[number];

/** The engine's State.Status of a container. */
export type ElementState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** What an anchor holds: a Docker container, as the engine last reported it. */
export interface ElementInfo {
  kind: 'docker';
  /** The container id (64 hex digits). */
  id: string;
  /** The container name on the engine (derived from the anchor path). */
  name: string;
  /** The image as given at make. */
  image: string;
  state: ElementState;
  /** The exit code once the container has exited, else null. */
  exitCode: number | null;
  /** Whether the element is removed as soon as its container exits. */
  scrub: boolean;
  /** When the container last started (ISO 8601), if it ever did. */
  startedAt?: string;
  /** When the container last finished (ISO 8601), if it did. */
  finishedAt?: string;
}

/** One configured Docker host: the top-level anchor `/<name>`. */
export interface HostConfig {
  /** The host's anchor name (same rule as any anchor name). */
  name: string;
  /** `unix:///path/to/docker.sock` or `tcp://host:port`. */
  docker: string;
  /** tcp:// only: use TLS and verify the engine's certificate. Default: DOCKER_TLS_VERIFY. */
  tlsVerify?: boolean;
  /** tcp:// only: folder holding ca.pem, cert.pem, key.pem. Default: DOCKER_CERT_PATH. */
  certPath?: string;
}

/** The settings the server reads: initializationOptions, and section `circuit` of the configuration. */
export interface CircuitSettings {
  hosts?: HostConfig[];
}

export interface HostStatus {
  name: string;
  docker: string;
  connected: boolean;
  /** Why the host is not connected (the last connection error). */
  error?: string;
  /** The engine's version, once connected. */
  serverVersion?: string;
  /** True for a tcp:// endpoint without TLS: anyone on the network path can drive that engine. */
  insecure: boolean;
}

export interface AnchorInfo {
  /** The last name of the anchor's path. */
  name: string;
  /** The anchor's full path, e.g. `/local/app/db`. */
  path: string;
  /** The element attached here, or null for an anchor that only has children. */
  element: ElementInfo | null;
  /** How many child anchors this anchor has. */
  children: number;
}

// ---------------------------------------------------------------------------------------------------
// Errors

/** `data.reason` of every error response from a Circuit request. */
export const errorReasons = [
  'invalid-params',
  'invalid-path',
  'no-such-host',
  'host-unreachable',
  'invalid-run',
  'anchor-busy',
  'no-element',
  'image-not-found',
  'invalid-signal',
  'not-running',
  'scrubbed',
  'docker-error',
  'no-session',
] as const;
export type ErrorReason = (typeof errorReasons)[number];

/** The `data` of a Circuit error response. */
export interface CircuitErrorData {
  reason: ErrorReason;
  /** For invalid-run: the first bad Run field. For invalid-params: the bad param. */
  field?: string;
}

/** JSON-RPC error codes, one per reason, in the server-defined range. */
export const errorCodes: Record<ErrorReason, number> = {
  'invalid-params': -32602,
  'invalid-path': -32010,
  'no-such-host': -32011,
  'host-unreachable': -32012,
  'invalid-run': -32013,
  'anchor-busy': -32014,
  'no-element': -32015,
  'image-not-found': -32016,
  'invalid-signal': -32017,
  'not-running': -32018,
  scrubbed: -32019,
  'docker-error': -32020,
  'no-session': -32021,
};

// ---------------------------------------------------------------------------------------------------
// Requests, client to server

export interface PathParams {
  /** An anchor path, e.g. `/local/app/db`. */
  path: string;
}

/** Client → server: the configured hosts and their connection state. */
export namespace HostsRequest {
  export const method = 'circuit/hosts' as const;
  export type Params = Record<string, never>;
  export interface Result {
    hosts: HostStatus[];
  }
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Client → server: the children of an anchor. The children of `/` are the hosts. */
export namespace ViewRequest {
  export const method = 'circuit/view' as const;
  export type Params = PathParams;
  export interface Result {
    path: string;
    children: AnchorInfo[];
  }
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Client → server: create and start a container and attach it to the anchor, atomically. */
export namespace MakeRequest {
  export const method = 'circuit/make' as const;
  export interface Params extends PathParams {
    run: Run;
  }
  export type Result = ElementInfo;
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/**
 * The engine's container-inspect JSON, as the engine returns it. Typed loosely on purpose: it is the
 * engine's contract, and newer engines add fields.
 */
export type Inspect = { Id: string; Name: string; State: { Status: ElementState; ExitCode: number; Running: boolean } } & Record<string, unknown>;

/** Client → server: the element's full status, as `docker inspect` reports it. */
export namespace PeekRequest {
  export const method = 'circuit/peek' as const;
  export type Params = PathParams;
  export type Result = Inspect;
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Client → server: resolves with the inspect JSON once the container no longer runs. Cancellable. */
export namespace WaitRequest {
  export const method = 'circuit/wait' as const;
  export type Params = PathParams;
  export type Result = Inspect;
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Signal names, as in Circuit. Requests accept them case-insensitively, with or without `SIG`. */
export const signalNames = [
  'ABRT', 'ALRM', 'BUS', 'CHLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'PROF', 'QUIT',
  'SEGV', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH', 'XCPU', 'XFSZ',
] as const;
export type SignalName = (typeof signalNames)[number];

/** Client → server: deliver a signal to the container through the Engine API. */
export namespace SignalRequest {
  export const method = 'circuit/signal' as const;
  export interface Params extends PathParams {
    signal: string;
  }
  export type Result = null;
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Client → server: stop the container if it runs, remove it, detach the element. */
export namespace ScrubRequest {
  export const method = 'circuit/scrub' as const;
  export type Params = PathParams;
  export type Result = null;
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Client → server: the `docker run` command line equivalent to a Run-spec document. */
export namespace DockerRunLineRequest {
  export const method = 'circuit/dockerRunLine' as const;
  export interface Params {
    /** The URI of an open `*.circuit.json` document. */
    uri: string;
  }
  export interface Result {
    line: string;
  }
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

// ---------------------------------------------------------------------------------------------------
// Container stdio

export type OutputStream = 'stdout' | 'stderr';
export type DetachReason = 'exited' | 'scrubbed' | 'detached' | 'host-lost';

/** Client → server: open a session on a container's stdio. With replay, all output since start comes first. */
export namespace AttachRequest {
  export const method = 'circuit/attach' as const;
  export interface Params extends PathParams {
    replay?: boolean;
  }
  export interface Result {
    session: string;
  }
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Server → client: bytes a container wrote, base64. */
export namespace OutputNotification {
  export const method = 'circuit/output' as const;
  export interface Params {
    session: string;
    stream: OutputStream;
    /** The bytes, base64. */
    data: string;
  }
  export const type = new NotificationType<Params>(method);
}

/** Client → server: the client consumed `bytes` (decoded) of a session's output; flow control. */
export namespace AckNotification {
  export const method = 'circuit/ack' as const;
  export interface Params {
    session: string;
    bytes: number;
  }
  export const type = new NotificationType<Params>(method);
}

/** Client → server: write to the container's stdin; resolves once written. */
export namespace InputRequest {
  export const method = 'circuit/input' as const;
  export interface Params {
    session: string;
    /** The bytes, base64. */
    data: string;
  }
  export type Result = null;
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Client → server: close the container's stdin (it sees end-of-file). */
export namespace CloseStdinRequest {
  export const method = 'circuit/closeStdin' as const;
  export interface Params {
    session: string;
  }
  export type Result = null;
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Client → server: end a session; the container keeps running and its stdin stays open. */
export namespace DetachRequest {
  export const method = 'circuit/detach' as const;
  export interface Params {
    session: string;
  }
  export type Result = null;
  export const type = new RequestType<Params, Result, CircuitErrorData>(method);
}

/** Server → client: a session ended. */
export namespace DetachedNotification {
  export const method = 'circuit/detached' as const;
  export interface Params {
    session: string;
    reason: DetachReason;
  }
  export const type = new NotificationType<Params>(method);
}

// ---------------------------------------------------------------------------------------------------
// Notifications, server to client

/** Server → client: anchors whose element or set of children changed; `/` and `/<host>` on a host's connection change. */
export namespace DidChangeNotification {
  export const method = 'circuit/didChange' as const;
  export interface Params {
    paths: string[];
  }
  export const type = new NotificationType<Params>(method);
}

/** Every custom method, for the doc check. */
export const methods = [
  HostsRequest.method,
  ViewRequest.method,
  MakeRequest.method,
  PeekRequest.method,
  WaitRequest.method,
  SignalRequest.method,
  ScrubRequest.method,
  DockerRunLineRequest.method,
  AttachRequest.method,
  OutputNotification.method,
  AckNotification.method,
  InputRequest.method,
  CloseStdinRequest.method,
  DetachRequest.method,
  DetachedNotification.method,
  DidChangeNotification.method,
] as const;
