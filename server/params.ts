import { CircuitError } from './errors';

/**
 * Checks of request params. Clients are untrusted: every request is checked before it is served, and a
 * malformed one gets invalid-params naming the param and what it was.
 */

export type Params = Record<string, unknown>;

/** The params as an object, or invalid-params. */
export function paramsObject(params: unknown, method: string): Params {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new CircuitError('invalid-params', `${method} takes an object of params, got ${describeValue(params)}`);
  }
  return params as Params;
}

/**
 * The params of a request as vscode-jsonrpc hands them to a handler (the token already taken off): none
 * when absent, one when given by name (or as a one-element array), several when given by position.
 * Circuit's requests take one object by name; several by position is invalid-params, never a guess.
 */
export function requestParams(args: readonly unknown[], method: string): Params {
  if (args.length > 1) throw new CircuitError('invalid-params', `${method} takes one object of params by name, got ${args.length} params by position`);
  return paramsObject(args[0] ?? {}, method);
}

export function stringParam(params: Params, name: string, maxLength = 4096): string {
  const v = params[name];
  if (typeof v !== 'string') throw new CircuitError('invalid-params', `${name} must be a string, got ${describeValue(v)}`, name);
  if (v.length > maxLength) throw new CircuitError('invalid-params', `${name} is ${v.length} characters long; at most ${maxLength} are accepted`, name);
  return v;
}

export function optionalBooleanParam(params: Params, name: string): boolean | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new CircuitError('invalid-params', `${name} must be true or false, got ${describeValue(v)}`, name);
  return v;
}

/** A short, safe description of a value for an error message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${quote(v)}`;
  return `${typeof v} ${String(v)}`;
}

/** JSON-quotes a string for a message, shortened when long (control characters stay escaped). */
export function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 77) + '...' : s);
}
