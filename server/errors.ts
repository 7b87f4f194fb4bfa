import { ResponseError } from 'vscode-languageserver';
import { CircuitErrorData, ErrorReason, errorCodes } from '../protocol';

const MAX_MESSAGE_LENGTH = 1000;
const MAX_FIELD_LENGTH = 100;

/**
 * A failure with a reason from the protocol's list and a message in a user's words. Services throw it;
 * the wiring turns it into a JSON-RPC error response (see toResponseError).
 */
export class CircuitError extends Error {
  readonly field?: string;

  /** Messages and fields can quote what a client sent (a 10 MB string, say): they are clipped. */
  constructor(
    readonly reason: ErrorReason,
    message: string,
    field?: string,
  ) {
    super(clip(message, MAX_MESSAGE_LENGTH));
    this.name = 'CircuitError';
    if (field !== undefined) this.field = clip(field, MAX_FIELD_LENGTH);
  }

  toResponseError(): ResponseError<CircuitErrorData> {
    const data: CircuitErrorData = this.field === undefined ? { reason: this.reason } : { reason: this.reason, field: this.field };
    return new ResponseError(errorCodes[this.reason], this.message, data);
  }
}

/** The statusCode and message of a dockerode (docker-modem) error, or undefined for anything else. */
export function engineStatus(err: unknown): { statusCode: number; message: string } | undefined {
  if (typeof err !== 'object' || err === null || !('statusCode' in err)) return undefined;
  const statusCode = Number((err as { statusCode: unknown }).statusCode);
  const json = (err as { json?: unknown }).json;
  const fromJson = typeof json === 'object' && json !== null && 'message' in json ? String((json as { message: unknown }).message) : undefined;
  return { statusCode, message: fromJson ?? (err instanceof Error ? err.message : String(err)) };
}

/** Any error as a CircuitError: engine errors become docker-error with the engine's message. */
export function asCircuitError(err: unknown): CircuitError {
  if (err instanceof CircuitError) return err;
  const status = engineStatus(err);
  if (status) return new CircuitError('docker-error', `The Docker Engine refused: ${status.message.trim()}`);
  const message = err instanceof Error ? err.message : String(err);
  return new CircuitError('docker-error', message);
}

/** The text, cut to at most `max` characters with an ellipsis when longer. */
function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
