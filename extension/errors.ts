/** Reading the server's error responses (`data.reason`, see protocol/index.ts). Pure. */
import { errorReasons, type ErrorReason } from '../protocol';

/** The `data.reason` of a Circuit error response, or undefined for anything else. */
export function errorReason(err: unknown): ErrorReason | undefined {
  if (typeof err !== 'object' || err === null || !('data' in err)) return undefined;
  const data = (err as { data: unknown }).data;
  if (typeof data !== 'object' || data === null || !('reason' in data)) return undefined;
  const reason = (data as { reason: unknown }).reason;
  return (errorReasons as readonly unknown[]).includes(reason) ? (reason as ErrorReason) : undefined;
}

/** The message of any failure, in the server's words when it sent some. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

/** Whether a request failed because it was cancelled (the user pressed Cancel, or the client stopped). */
export function cancelled(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  // RequestCancelled (-32800) and ServerCancelled (-32802) of JSON-RPC / LSP.
  return code === -32800 || code === -32802;
}
