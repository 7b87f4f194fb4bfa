/** Quoting what a user wrote inside a message: JSON-escaped, and cut when long. */

/** Longest user text quoted whole in a message. */
const maxQuoted = 80;

/** `text` in double quotes, control characters escaped, cut to 80 characters with "…". */
export function quoted(text: string): string {
  return JSON.stringify(text.length > maxQuoted ? `${text.slice(0, maxQuoted - 1)}…` : text);
}
