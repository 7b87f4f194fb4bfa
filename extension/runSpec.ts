/** Reading a Run spec document into the `run` param of `circuit/make`. Pure. */
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import type { Run } from '../protocol';

/**
 * The Run object of a spec's text (comments and trailing commas allowed, as in the editor), or the reason
 * it is not one. The server validates the fields: what the editor accepts is what make accepts.
 */
export function parseRunSpec(text: string): { run: Run } | { problem: string } {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first !== undefined) return { problem: `the spec is not valid JSON (${printParseErrorCode(first.error)} at offset ${first.offset})` };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'the spec must be a JSON object with the fields of a Run' };
  // The server checks every field with the same validator the editor uses.
  return { run: value as Run };
}
